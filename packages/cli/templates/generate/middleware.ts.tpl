import type { RequestContext } from '@cello/core';

/**
 * Register with `app.use({{camel}}Middleware)`. Middleware runs in onion order: code before
 * `next()` on the way in, code after it on the way out. `next()` resolves to what the handler
 * returned (a value or a Response); return it, or a replacement.
 */
export async function {{camel}}Middleware(ctx: RequestContext, next: () => Promise<unknown>): Promise<unknown> {
  const result = await next();
  return result;
}
