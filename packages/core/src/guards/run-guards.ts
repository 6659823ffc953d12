import type { DependencyContainer } from 'tsyringe';
import type { RequestContext } from '../di/request-context.js';
import { celloError } from '../errors/cello-error.js';
import { HttpError } from '../http/http-error.js';
import { guardName, type Guard, type GuardLike } from './guard.js';

/** Guard classes become instances once, at startup, from the app's container. */
export function instantiateGuards(guards: readonly GuardLike[], container: DependencyContainer, route: string): Guard[] {
  return guards.map((g) => {
    if (typeof g !== 'function') return g;
    let guard: Guard;
    try {
      guard = container.resolve(g);
    } catch (err) {
      throw celloError('CELLO_ERR_DI_UNRESOLVED', [`guard ${g.name} of ${route}`, (err as Error).message], err);
    }
    if (typeof guard?.canActivate !== 'function') throw celloError('CELLO_ERR_GUARD_INVALID', [guardName(g), route]);
    return guard;
  });
}

function deny(guard: Guard): HttpError {
  return HttpError.forbidden(`Access denied by ${guard.constructor.name}`);
}

/** Runs guards in order; the first that does not allow ends the request with 403 (or its own error). */
export async function checkGuards(guards: readonly Guard[], ctx: RequestContext): Promise<void> {
  for (const guard of guards) {
    let allowed = guard.canActivate(ctx);
    if (allowed !== true && allowed !== false) allowed = await allowed;
    if (!allowed) throw deny(guard);
  }
}
