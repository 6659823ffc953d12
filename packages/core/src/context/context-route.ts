import type { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { RequestContext } from '../di/request-context.js';
import type { Exchange } from '../exchange/exchange.js';
import { isThenable } from '../http/thenable.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;

// The answer is sent from inside the context, so the features' onSend and onResponse hooks (and
// anything they log) see it too: fastify would send a returned promise's value from its own
// `.then`, registered outside. A non-Error rejection goes back to fastify, which knows how to
// mark it as an error.
function sendInContext(handler: Handler, request: FastifyRequest, reply: FastifyReply): unknown {
  const value = handler(request, reply);
  if (!isThenable(value)) return value;
  return Promise.resolve(value).then(
    (payload) => {
      if (!reply.sent) reply.send(payload);
    },
    (err: unknown) => {
      if (!(err instanceof Error) || reply.sent) throw err;
      reply.send(err);
    },
  );
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
    return storage.run(ex, sendInContext, handler, request, reply);
  };
}
