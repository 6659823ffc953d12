import type { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { RequestContext } from '../di/request-context.js';
import type { Exchange } from '../exchange/exchange.js';
import { isThenable } from '../http/thenable.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;

// fastify sends a returned promise's value from its own `.then`. Registered outside the
// context, that reaction (reply.send, the features' onSend and onResponse hooks, what they log)
// would run outside it: the route returns this thenable instead, whose `then` registers inside.
// fastify's own handling of the value (streams, undefined, errors) is untouched.
class InContext implements PromiseLike<unknown> {
  readonly #value: PromiseLike<unknown>;
  readonly #ctx: RequestContext;
  readonly #storage: AsyncLocalStorage<RequestContext>;

  constructor(value: PromiseLike<unknown>, ctx: RequestContext, storage: AsyncLocalStorage<RequestContext>) {
    this.#value = value;
    this.#ctx = ctx;
    this.#storage = storage;
  }

  then<A = unknown, B = never>(onFulfilled?: ((value: unknown) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): PromiseLike<A | B> {
    return this.#storage.run(this.#ctx, thenOf, this.#value, onFulfilled, onRejected) as PromiseLike<A | B>;
  }
}

function thenOf(value: PromiseLike<unknown>, onFulfilled: unknown, onRejected: unknown): PromiseLike<unknown> {
  return value.then(onFulfilled as never, onRejected as never);
}

function callInContext(handler: Handler, request: FastifyRequest, reply: FastifyReply, ex: Exchange, storage: AsyncLocalStorage<RequestContext>): unknown {
  const value = handler(request, reply);
  return isThenable(value) ? new InContext(value, ex, storage) : value;
}

/**
 * The route's handler run inside the request context storage, with the exchange as the store.
 * Entered here rather than in a first onRequest hook: fastify reads the body in stream events
 * that run outside any context the hooks entered, so the handler would have to enter it again,
 * and a hook of its own would cost every request a hook run. Guards that run before the body
 * enter it in their own hook (`guardHook`); cleanups and background tasks in the exchange.
 * `run`, not `enterWith`: the store must not leak into the next request parsed in the same tick.
 */
export function runInRequestContext(
  handler: Handler,
  storage: AsyncLocalStorage<RequestContext>,
  exchange: (request: FastifyRequest, reply: FastifyReply) => Exchange,
): RouteHandlerMethod {
  return function celloContextRoute(request, reply) {
    const ex = exchange(request, reply);
    // The compiled shapes take the exchange from here (see `compileRoute`).
    request.celloExchange = ex;
    return storage.run(ex, callInContext, handler, request, reply, ex, storage);
  };
}
