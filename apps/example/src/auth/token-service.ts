import { Inject, Singleton } from '@cello/core';
import { SignJWT } from 'jose';
import { kConfig, type ExampleConfig } from '../config.js';
import type { User } from '../services/user-service.js';

/** What the app's tokens say about who issued them and for whom; `enableJwt` checks both. */
export const tokenIssuer = 'cello-example';
export const tokenAudience = 'cello-example-api';
const lifetimeSeconds = 60 * 60;

/** The claims of the access tokens this app issues (`req.user` once `enableJwt` verified one). */
export interface AccessTokenClaims {
  sub: string;
  username: string;
  roles: string[];
}

@Singleton()
export class TokenService {
  readonly #key: Uint8Array;

  constructor(@Inject(kConfig) config: ExampleConfig) {
    this.#key = new TextEncoder().encode(config.jwtSecret);
  }

  /** An HS256 access token; `roles` is the claim `RoleGuard` reads. */
  async issue(user: User): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
    const claims: Omit<AccessTokenClaims, 'sub'> = { username: user.username, roles: [user.role] };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(user.id))
      .setIssuer(tokenIssuer)
      .setAudience(tokenAudience)
      .setIssuedAt()
      .setExpirationTime(`${lifetimeSeconds}s`)
      .sign(this.#key);
    return { access_token: token, token_type: 'Bearer', expires_in: lifetimeSeconds };
  }
}
