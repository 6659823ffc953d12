import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { HttpError } from '../../http/http-error.js';
import { Request } from '../../http/request.js';
import type { RouteDefinition } from '../../routing/route-table.js';
import type { BuiltinMiddleware, RouteHooks } from '../builtin.js';
import { clientKey } from './client-key.js';
import type { RateLimitRule } from './config.js';
import { MemoryRateLimitStore } from './memory-store.js';
import type { RateLimitDecision, RateLimitStore } from './store.js';

export interface RateLimitSetup {
  store?: RateLimitStore;
}

function applyDecision(reply: FastifyReply, d: RateLimitDecision): HttpError | undefined {
  reply.header('ratelimit-limit', d.limit);
  reply.header('ratelimit-remaining', d.remaining);
  reply.header('ratelimit-reset', d.reset);
  if (d.allowed) return undefined;
  reply.header('retry-after', d.retryAfter);
  return HttpError.tooManyRequests(`Rate limit exceeded; retry in ${d.retryAfter} second${d.retryAfter === 1 ? '' : 's'}`);
}

/** Rate limiting as a per-route onRequest hook: before the body is read, so a flood costs little. */
export class RateLimiter implements BuiltinMiddleware {
  readonly #default: RateLimitRule | null;
  readonly #store: RateLimitStore;

  constructor(defaultRule: RateLimitRule | null, setup: RateLimitSetup = {}) {
    this.#default = defaultRule;
    this.#store = setup.store ?? new MemoryRateLimitStore();
  }

  get store(): RateLimitStore {
    return this.#store;
  }

  forRoute(def: RouteDefinition): RouteHooks | null {
    const rule = def.rateLimit === false ? null : def.rateLimit ?? this.#default;
    return rule === null ? null : { onRequest: this.#hook(rule) };
  }

  #hook(rule: RateLimitRule): onRequestHookHandler {
    const store = this.#store;
    const keyOf = rule.key;
    const prefix = `${rule.id}:`;
    return function rateLimit(request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) {
      let decision: RateLimitDecision | Promise<RateLimitDecision>;
      try {
        const who = keyOf === undefined ? clientKey(request.ip) : String(keyOf(new Request(request)));
        decision = store.hit(prefix + who, rule, Date.now());
      } catch (err) {
        done(err as Error);
        return;
      }
      if (decision instanceof Promise) {
        decision.then((d) => done(applyDecision(reply, d)), done);
      } else {
        done(applyDecision(reply, decision));
      }
    };
  }
}
