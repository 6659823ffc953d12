import type { RequestContext } from '../di/request-context.js';
import type { Guard } from './guard.js';
import { authenticationRequired } from './role-guard.js';

/** Passes when the request has a verified user (`req.user`, set by JWT auth); else 401. */
export class Authenticated implements Guard {
  canActivate(ctx: RequestContext): boolean {
    if (ctx.request.user === undefined || ctx.request.user === null) throw authenticationRequired();
    return true;
  }
}
