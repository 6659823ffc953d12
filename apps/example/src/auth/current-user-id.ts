import { HttpError, type Request } from '@cello/core';
import type { AccessTokenClaims } from './token-service.js';

/**
 * The signed-in user's id, straight from the verified token, without a database round trip.
 * Routes that use it sit behind the `Authenticated` guard, so a token is there.
 */
export function currentUserId(req: Request): number {
  const id = Number((req.user as AccessTokenClaims | undefined)?.sub);
  if (!Number.isSafeInteger(id)) throw HttpError.unauthorized('The token names no user');
  return id;
}
