import type { RequestContext } from '../di/request-context.js';
import { celloError } from '../errors/cello-error.js';

/**
 * User middleware for `app.use()`: runs around the handler in onion order; `next()` resolves
 * to what the handler returned (a value or a Response), and the middleware returns that or a
 * replacement.
 *
 * @example
 * app.use(async (ctx, next) => {
 *   const started = Date.now();
 *   const result = await next();
 *   ctx.reply.header('x-took-ms', String(Date.now() - started));
 *   return result;
 * });
 */
export type Middleware = (ctx: RequestContext, next: () => Promise<unknown>) => unknown;

export type Composed = (ctx: RequestContext, inner: () => unknown) => Promise<unknown>;

/** Composes middleware once, at startup, into one function around the handler. */
export function composeMiddleware(middleware: readonly Middleware[]): Composed | null {
  if (middleware.length === 0) return null;
  return function run(ctx, inner) {
    let last = -1;
    const dispatch = async (i: number): Promise<unknown> => {
      if (i <= last) throw celloError('CELLO_ERR_MIDDLEWARE_NEXT_TWICE');
      last = i;
      if (i === middleware.length) return inner();
      return middleware[i]!(ctx, () => dispatch(i + 1));
    };
    return dispatch(0);
  };
}
