import type { Guard, RequestContext } from '@cello/core';

/**
 * Decides whether a request may reach a route: `false` answers 403; throw an HttpError for
 * another status. Attach with `@Guards({{Pascal}}Guard)` on a controller or a method.
 */
export class {{Pascal}}Guard implements Guard {
  canActivate(ctx: RequestContext): boolean | Promise<boolean> {
    // Allows everyone until you write the rule, e.g. `return ctx.request.user !== undefined;`
    return true;
  }
}
