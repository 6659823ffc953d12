import { RequestContext } from '../../di/request-context.js';
import type { ParamKindSpec } from './param-kind.js';

/** `ctx: RequestContext`: the request's context. */
export const contextParam: ParamKindSpec = {
  kind: 'context',
  boundType: RequestContext,
  bind: () => ({ bind: (ctx) => ctx, isAsync: false, needsContext: true }),
};
