import type { FastifyReply, FastifyRequest, onRequestHookHandler, onResponseHookHandler, onSendHookHandler } from 'fastify';
import type { RouteDefinition } from '../routing/route-table.js';

/** fastify hooks one built-in middleware adds to one route. */
export interface RouteHooks {
  onRequest?: onRequestHookHandler;
  onSend?: onSendHookHandler;
  onResponse?: onResponseHookHandler;
}

/**
 * A built-in middleware (CORS, rate limit, JWT, ...). It is compiled into fastify hooks per
 * route at startup, so a route it does not apply to pays nothing for it.
 */
export interface BuiltinMiddleware {
  /** The hooks for this route, or null when the middleware does not apply to it. */
  forRoute(def: RouteDefinition): RouteHooks | null;
  /** Headers etc. for answers that match no route (404, 405, CORS preflight). May end the reply. */
  onUnmatched?(request: FastifyRequest, reply: FastifyReply, allowed: readonly string[]): void;
}

/**
 * Where each built-in sits in the chain: request id, logging, security headers, CORS, rate
 * limit, JWT, then the rest. What only sets headers comes before what can end the request
 * (a preflight, a 429, a 401), since a failing onRequest hook skips every hook after it.
 */
export const builtinOrder = ['requestId', 'logging', 'securityHeaders', 'cors', 'rateLimit', 'jwt', 'compression'] as const;
export type BuiltinName = (typeof builtinOrder)[number];

/** Collects the hooks of every enabled built-in for one route, in chain order. */
export function collectHooks(enabled: ReadonlyMap<BuiltinName, BuiltinMiddleware>, def: RouteDefinition) {
  const onRequest: onRequestHookHandler[] = [];
  const onSend: onSendHookHandler[] = [];
  const onResponse: onResponseHookHandler[] = [];
  for (const name of builtinOrder) {
    const hooks = enabled.get(name)?.forRoute(def);
    if (!hooks) continue;
    if (hooks.onRequest) onRequest.push(hooks.onRequest);
    if (hooks.onSend) onSend.push(hooks.onSend);
    if (hooks.onResponse) onResponse.push(hooks.onResponse);
  }
  return {
    ...(onRequest.length ? { onRequest } : {}),
    ...(onSend.length ? { onSend } : {}),
    ...(onResponse.length ? { onResponse } : {}),
  };
}
