import type { RequestContext } from '../di/request-context.js';
import { HttpError } from '../http/http-error.js';
import type { Guard } from './guard.js';
import { celloError } from '../errors/cello-error.js';

export interface RoleGuardOptions {
  /** Where the roles are in the JWT payload: a claim name or a dotted path (default `roles`). */
  claim?: string;
}

function readClaim(user: unknown, path: readonly string[]): unknown {
  let value = user;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** 401 for a request without a verified user, shared by the built-in guards. */
export function authenticationRequired(): HttpError {
  return HttpError.unauthorized('Authentication required', undefined, { headers: { 'www-authenticate': 'Bearer' } });
}

/**
 * Passes when `req.user` has any of `roles` in its `roles` claim (an array, or a
 * space-separated string as in OAuth `scope`); no user -> 401, a user without the role -> 403.
 *
 * @example
 * @Post('/items', { guards: [new RoleGuard(['editor'])] })
 */
export class RoleGuard implements Guard {
  readonly roles: readonly string[];
  readonly #path: readonly string[];

  constructor(roles: readonly string[], options: RoleGuardOptions = {}) {
    if (!Array.isArray(roles) || roles.length === 0) throw celloError('CELLO_ERR_GUARD_CONFIG', ['RoleGuard needs at least one role: new RoleGuard([\'editor\'])']);
    this.roles = roles;
    this.#path = (options.claim ?? 'roles').split('.');
  }

  canActivate(ctx: RequestContext): boolean {
    const user = ctx.request.user;
    if (user === undefined || user === null) throw authenticationRequired();
    const claim = readClaim(user, this.#path);
    const held = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(' ') : [];
    return this.roles.some((role) => held.includes(role));
  }
}
