import type { Guard, RequestContext } from '@cello/core';

/**
 * Lets a request through when its `x-api-key` header matches the API_KEY environment variable.
 * Used as a class (`@Guards(ApiKeyGuard)`): Cello creates it once, from the app's container.
 */
export class ApiKeyGuard implements Guard {
  canActivate(ctx: RequestContext): boolean {
    // Read per request so the key can be rotated by restarting with a new environment only.
    const key = process.env.API_KEY;
    // No key configured means the guard cannot vouch for anyone.
    if (!key) return false;
    return ctx.request.header('x-api-key') === key;
  }
}
