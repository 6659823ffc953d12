import { HttpError, type RequestContext } from '@cello/core';
import { getDb } from '../db/get-db.js';
import { UserService, type User } from '../services/user-service.js';
import type { AccessTokenClaims } from './token-service.js';

function signInRequired(): HttpError {
  return HttpError.unauthorized('Send a bearer token: POST /auth/token, then Authorization: Bearer <access_token>', undefined, {
    headers: { 'www-authenticate': 'Bearer' },
  });
}

/**
 * A dependency: the signed-in user, loaded from the database on the request's connection.
 * `enableJwt` has already verified the token (an invalid one never gets here); this turns its
 * claims into a current row, so a deleted user's still-valid token stops working.
 *
 * @example
 * profile(@Depends(getCurrentUser) user: User) { ... }
 */
export async function getCurrentUser(ctx: RequestContext): Promise<User> {
  const claims = ctx.request.user as AccessTokenClaims | undefined;
  const id = Number(claims?.sub);
  if (!Number.isSafeInteger(id)) throw signInRequired();
  const db = await ctx.resolve(getDb); // the same connection the handler gets from @Depends(getDb)
  const user = await ctx.container.resolve(UserService).findById(id, db);
  if (user === undefined) throw signInRequired();
  return user;
}
