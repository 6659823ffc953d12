import type { ParamInfo, RouteInfo } from './route-info.js';

/** How one handler parameter gets its value (the internal name of `ParamInfo`). */
export type ParamDefinition = ParamInfo;

/**
 * One row of the route table: the public `RouteInfo` plus what only the compiler needs (the
 * handler) and where the route was declared, so startup errors can point there.
 */
export interface RouteDefinition extends RouteInfo {
  readonly handler: (...args: any[]) => unknown;
  /** The route decorator's (or `app.route()`'s) call site. */
  readonly site: Error;
}
