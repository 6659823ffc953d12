import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { DependencyContainer } from 'tsyringe';
import type { AppRuntime } from '../app-runtime.js';
import type { RequestContext } from '../di/request-context.js';
import { celloError } from '../errors/cello-error.js';
import { Exchange } from '../exchange/exchange.js';
import { HttpError } from '../http/http-error.js';
import { isThenable } from '../http/thenable.js';
import type { RouteInfo } from '../routing/route-info.js';
import { guardName, type Guard, type GuardLike } from './guard.js';

/** Guard classes become instances once, at startup, from the app's container. */
export function instantiateGuards(guards: readonly GuardLike[], container: DependencyContainer, route: string, site: Error): Guard[] {
  return guards.map((g) => {
    if (typeof g !== 'function') return g;
    let guard: Guard;
    try {
      guard = container.resolve(g);
    } catch (err) {
      throw celloError('CELLO_ERR_DI_UNRESOLVED', [`guard ${g.name} of ${route}`, (err as Error).message], { cause: err, site });
    }
    if (typeof guard?.canActivate !== 'function') throw celloError('CELLO_ERR_GUARD_INVALID', [guardName(g), route], { site });
    return guard;
  });
}

function deny(guard: Guard): HttpError {
  return HttpError.forbidden(`Access denied by ${guard.constructor.name}`);
}

async function checkRest(guards: readonly Guard[], from: number, pending: PromiseLike<boolean>, ctx: RequestContext): Promise<void> {
  if (!(await pending)) throw deny(guards[from]!);
  for (let i = from + 1; i < guards.length; i++) {
    if (!(await guards[i]!.canActivate(ctx))) throw deny(guards[i]!);
  }
}

/**
 * Runs guards in order; the first that does not allow ends the request with 403 (or its own
 * error). Synchronous guards cost no promise: undefined means every guard passed.
 */
export function checkGuards(guards: readonly Guard[], ctx: RequestContext): Promise<void> | undefined {
  for (let i = 0; i < guards.length; i++) {
    const allowed = guards[i]!.canActivate(ctx);
    if (allowed === true) continue;
    if (isThenable(allowed)) return checkRest(guards, i, allowed, ctx);
    if (!allowed) throw deny(guards[i]!);
  }
  return undefined;
}

/**
 * The guards that do not read the body, as the route's last onRequest hook: after
 * authentication, before fastify reads the body. The exchange they need is made here and
 * handed to the handler stage.
 */
export function guardHook(guards: readonly Guard[], route: RouteInfo, runtime: AppRuntime): onRequestHookHandler {
  const storage = runtime.context;
  // Chosen once: in the request context, guards (and what they start) run inside it.
  const check = storage === null
    ? checkGuards
    : (list: readonly Guard[], ex: Exchange) => storage.run(ex, checkGuards, list, ex);
  return function celloGuards(request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) {
    const ex = new Exchange(request, reply, route, runtime, true);
    let pending: Promise<void> | undefined;
    try {
      pending = check(guards, ex);
    } catch (err) {
      ex.fail(err).catch(done);
      return;
    }
    if (pending === undefined) done();
    else pending.then(() => done(), (err: unknown) => ex.fail(err).catch(done));
  };
}
