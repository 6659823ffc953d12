import { BackgroundTasks } from '../background/background-tasks.js';
import { RequestContext } from '../di/request-context.js';
import { Request } from '../http/request.js';
import type { ParamKind } from './route-table.js';

/** Classes a handler parameter may be typed with to receive a per-request object. */
export const typeBindings: ReadonlyMap<unknown, ParamKind> = new Map<unknown, ParamKind>([
  [Request, 'request'],
  [RequestContext, 'context'],
  [BackgroundTasks, 'background'],
]);
