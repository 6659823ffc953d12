import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { HttpError } from '../../http/http-error.js';
import { isThenable } from '../../http/thenable.js';
import { Request } from '../../http/request.js';
import type { RouteInfo } from '../../routing/route-info.js';
import { featureOrder, type Feature, type RouteHooks } from '../../features/feature.js';
import { AppObserver } from '../../metrics/observer.js';
import { clientKey } from './client-key.js';
import type { RateLimitRule } from './config.js';
import { MemoryRateLimitStore } from './memory-store.js';
import type { RateLimitDecision, RateLimitStore } from './store.js';

export interface RateLimitSetup {
  store?: RateLimitStore;
}

function applyDecision(reply: FastifyReply, d: RateLimitDecision | null): HttpError | undefined {
  if (d === null) return undefined;
  reply.header('ratelimit-limit', d.limit);
  reply.header('ratelimit-remaining', d.remaining);
  reply.header('ratelimit-reset', d.reset);
  if (d.allowed) return undefined;
  reply.header('retry-after', d.retryAfter);
  return HttpError.tooManyRequests(`Rate limit exceeded; retry in ${d.retryAfter} second${d.retryAfter === 1 ? '' : 's'}`);
}

/** Rate limiting as a per-route onRequest hook: before the body is read, so a flood costs little. */
export class RateLimiter implements Feature {
  readonly name = 'rateLimit';
  readonly order = featureOrder.rateLimit;
  readonly #default: RateLimitRule | null;
  readonly #store: RateLimitStore;
  readonly #scopes = new Map<RateLimitRule, string>();

  readonly #observer: AppObserver;

  constructor(defaultRule: RateLimitRule | null, setup: RateLimitSetup = {}, observer: AppObserver = new AppObserver()) {
    this.#default = defaultRule;
    this.#observer = observer;
    this.#store = setup.store ?? new MemoryRateLimitStore();
  }

  get store(): RateLimitStore {
    return this.#store;
  }

  forRoute(def: RouteInfo): RouteHooks | null {
    const own = def.rateLimit;
    if (own === false || (own === null && this.#default === null)) return null;
    const rule = own ?? this.#default!;
    return { onRequest: this.#hook(rule, `${this.#scope(rule, own === null, def)}|${rule.algorithm}:${rule.requests}/${rule.window}:`, def.path) };
  }

  // Whose buckets a rule counts in: its name; else the app-wide rule has one set for every
  // route, and a route rule one per rule object (a class-level @RateLimit is one budget for the
  // controller), named after the first route in the table that uses it. The table's order is
  // the same in every process that builds the app, and so are the keys.
  #scope(rule: RateLimitRule, isDefault: boolean, def: RouteInfo): string {
    if (rule.name !== undefined) return `name:${rule.name}`;
    if (isDefault) return 'app';
    let scope = this.#scopes.get(rule);
    if (scope === undefined) this.#scopes.set(rule, (scope = `route:${def.methods.join(',')} ${def.path}`));
    return scope;
  }

  async onClose(): Promise<void> {
    await this.#store.close?.();
  }

  #hook(rule: RateLimitRule, prefix: string, route: string): onRequestHookHandler {
    const store = this.#store;
    const keyOf = rule.key;
    const observer = this.#observer;
    // Reports a refusal (metrics) and hands the decision's error, if any, to fastify.
    const decide = (request: FastifyRequest, reply: FastifyReply, d: RateLimitDecision | null): Error | undefined => {
      const refused = applyDecision(reply, d);
      if (refused !== undefined && observer.rateLimited !== null) observer.rateLimited(request.method, route);
      return refused;
    };
    return function rateLimit(request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) {
      let decision: RateLimitDecision | null | Promise<RateLimitDecision | null>;
      try {
        const who = keyOf === undefined ? clientKey(request.ip) : String(keyOf(new Request(request)));
        decision = store.hit(prefix + who, rule, Date.now());
      } catch (err) {
        done(err as Error);
        return;
      }
      if (isThenable(decision)) {
        decision.then((d) => done(decide(request, reply, d)), done);
      } else {
        done(decide(request, reply, decision));
      }
    };
  }
}
