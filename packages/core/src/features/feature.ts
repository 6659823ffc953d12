import type { FastifyReply, FastifyRequest, onRequestHookHandler, onResponseHookHandler, onSendHookHandler } from 'fastify';
import type { App } from '../app.js';
import type { RouteInfo } from '../routing/route-info.js';

/** fastify hooks one feature adds to one route. */
export interface RouteHooks {
  onRequest?: onRequestHookHandler;
  onSend?: onSendHookHandler;
  onResponse?: onResponseHookHandler;
}

/**
 * Something an app can switch on (CORS, rate limits, JWT, the cache, docs, ...). It is
 * compiled into fastify hooks per route at startup, so a route it does not apply to pays
 * nothing for it.
 */
export interface Feature {
  /** Unique per app: enabling a feature twice replaces the first. */
  readonly name: string;
  /**
   * Where its hooks sit among the others (lower first). What only sets headers comes before
   * what can end the request (a preflight, a 429, a 401): a failing onRequest hook skips every
   * hook after it.
   */
  readonly order: number;
  /** The hooks for this route, or null when the feature does not apply to it. */
  forRoute(route: RouteInfo): RouteHooks | null;
  /** Headers etc. for answers that match no route (404, 405, CORS preflight). May end the reply. */
  onUnmatched?(request: FastifyRequest, reply: FastifyReply, allowed: readonly string[]): void;
  /** When the app starts, after the routes are mounted and before startup hooks. */
  onStart?(app: App): Promise<void> | void;
  /** When the app has closed: stores, sockets, timers. */
  onClose?(): Promise<void> | void;
  /**
   * Whether a cache hit on this route may be answered before fastify runs (skipping this
   * feature's hooks). Default: only where `forRoute` gives no hooks.
   */
  allowsFastPath?(route: RouteInfo): boolean;
}

/** Where the built-ins sit. */
export const featureOrder = {
  requestId: 10,
  logging: 20,
  securityHeaders: 30,
  cors: 40,
  rateLimit: 50,
  jwt: 60,
  circuitBreaker: 65,
  compression: 70,
  cache: 80,
  docs: 90,
  health: 95,
} as const;
