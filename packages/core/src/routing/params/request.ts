import { Request } from '../../http/request.js';
import type { ParamKindSpec } from './param-kind.js';

/** `req: Request`: the request, as handlers see it. */
export const requestParam: ParamKindSpec = {
  kind: 'request',
  boundType: Request,
  bind: () => ({ bind: (ctx) => ctx!.request, isAsync: false, needsContext: true }),
};
