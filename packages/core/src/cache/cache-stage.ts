import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../di/request-context.js';
import { Response } from '../http/response.js';
import { resultBytes } from '../http/result-body.js';
import { toPayload, type ResultPolicy } from '../http/send-result.js';
import { isThenable } from '../http/thenable.js';
import type { CachePolicy } from './cache-options.js';
import { cacheKey, hasCredentials } from './cache-key.js';
import type { CacheEntry } from './cache-store.js';
import { entryHeaders } from './entry-headers.js';
import { matchesIfNoneMatch, strongEtag } from './etag.js';
import type { ResponseCache } from './response-cache.js';
import { appendVary } from '../middleware/vary.js';

export type Compute = (ctx: RequestContext, request: FastifyRequest) => unknown;

const personal = /(?:^|[\s,])(?:private|no-store)(?:$|[\s,=])/i;

// Vary names the framework itself adds: CORS (its headers are set per request, never stored)
// and compression (it encodes after the lookup, per request).
const frameworkVary = ['origin', 'accept-encoding'];

function headerOf(reply: FastifyReply, value: unknown, name: string): string | undefined {
  const own = value instanceof Response ? value.headers[name] : undefined;
  const set = own ?? reply.getHeader(name);
  return set === undefined ? undefined : Array.isArray(set) ? set.join(', ') : String(set);
}

/**
 * Whether the handler said its answer is not for everyone: `Cache-Control: private` or
 * `no-store` (it is someone's own, say chosen by an API-key header the cache cannot know about),
 * or a `Vary` naming a header the key does not hold (or `*`). Such an answer is neither stored
 * nor sent as `public`.
 */
function isUnshareable(reply: FastifyReply, value: unknown, keyed: ReadonlySet<string>): boolean {
  const control = headerOf(reply, value, 'cache-control');
  if (control !== undefined && personal.test(control)) return true;
  const vary = headerOf(reply, value, 'vary');
  if (vary === undefined) return false;
  for (const name of vary.split(',')) {
    const n = name.trim().toLowerCase();
    if (n !== '' && !keyed.has(n)) return true;
  }
  return false;
}

// Headers that belong to one exchange, never replayed from the cache.
const perRequest = /^(set-cookie|ratelimit-.*|retry-after|x-request-id|date|connection|keep-alive|transfer-encoding|age|etag|cache-control|content-length|vary)$/;
const keepHeader = (name: string): boolean => !perRequest.test(name);

/** Writes a stored entry to the reply; `If-None-Match` on its ETag answers 304 with no body. */
export function replyWithEntry(request: FastifyRequest, reply: FastifyReply, entry: CacheEntry, cacheControl: string, isHit: boolean): unknown {
  const headers = entryHeaders(entry, cacheControl, isHit);
  for (const name in headers) reply.header(name, headers[name]);
  if (matchesIfNoneMatch(request.headers['if-none-match'], entry.etag)) {
    reply.code(304);
    return undefined;
  }
  reply.code(entry.status);
  return entry.body;
}

/**
 * The cache stage of one route: a hit answers from stored bytes without calling the handler; a
 * miss runs it once for all concurrent requests with the same key and stores what it returned.
 */
export class CacheStage {
  readonly #policy: CachePolicy;
  readonly #cache: ResponseCache;
  readonly #result: ResultPolicy;
  readonly #json: (v: unknown) => string;
  readonly #route: string;
  readonly #publicControl: string;
  readonly #privateControl: string;
  readonly #vary: readonly string[];
  readonly #keyed: ReadonlySet<string>;

  constructor(options: { route: string; policy: CachePolicy; cache: ResponseCache; result: ResultPolicy; json?: (v: unknown) => string }) {
    this.#route = options.route;
    this.#policy = options.policy;
    this.#cache = options.cache;
    this.#result = options.result;
    this.#json = options.json ?? JSON.stringify;
    this.#publicControl = `public, max-age=${Math.floor(options.policy.ttl)}`;
    this.#privateControl = `private, max-age=${Math.floor(options.policy.ttl)}`;
    this.#vary = options.policy.vary;
    this.#keyed = new Set([...options.policy.vary.map((name) => name.toLowerCase()), ...frameworkVary]);
  }

  async serve(ctx: RequestContext, request: FastifyRequest, reply: FastifyReply, compute: Compute): Promise<unknown> {
    const policy = this.#policy;
    // The answer depends on these headers whether it comes from the cache or not: without Vary a
    // shared cache (CDN, proxy) would serve one client's variant to everyone.
    for (const name of this.#vary) reply.header('vary', appendVary(reply.getHeader('vary'), name));
    const credentials = hasCredentials(request.headers);
    if (credentials && policy.credentials === 'bypass') return toPayload(reply, await compute(ctx, request), this.#result);
    const control = credentials ? this.#privateControl : this.#publicControl;
    const key = cacheKey(this.#route, request.url, request.headers, policy, policy.key?.(ctx.request));
    const store = this.#cache.store;
    let entry = store.get(key);
    if (isThenable(entry)) entry = await entry;
    const observer = this.#cache.observer;
    if (entry !== undefined) {
      if (observer.cacheHit !== null) observer.cacheHit(this.#route);
      return replyWithEntry(request, reply, entry, control, true);
    }

    const inflight = this.#cache.inflight;
    const running = inflight.get(key);
    if (running !== undefined) {
      const shared = await running;
      // Answered by another request's computation: the handler did not run for this one.
      if (shared !== null) {
        if (observer.cacheHit !== null) observer.cacheHit(this.#route);
        return replyWithEntry(request, reply, shared, control, true);
      }
      if (observer.cacheMiss !== null) observer.cacheMiss(this.#route);
      return toPayload(reply, await compute(ctx, request), this.#result);
    }
    if (observer.cacheMiss !== null) observer.cacheMiss(this.#route);

    let settle!: (entry: CacheEntry | null) => void;
    let fail!: (err: unknown) => void;
    const flight = new Promise<CacheEntry | null>((resolve, reject) => { settle = resolve; fail = reject; });
    flight.catch(() => undefined); // waiters handle it; with none, it must not be an unhandled rejection
    inflight.set(key, flight);
    try {
      // Read before computing: an invalidation of one of the tags from here on means the value
      // may predate the change it announced, so it must not be stored (nor handed to waiters,
      // some of which may have arrived after the invalidation).
      let before = policy.tags.length > 0 ? store.tagVersions?.(policy.tags) : undefined;
      if (isThenable(before)) before = await before;
      const value = await compute(ctx, request);
      const serialized = reply.hasHeader('set-cookie') || isUnshareable(reply, value, this.#keyed) ? null : resultBytes(value, this.#result.status, this.#json, keepHeader);
      let unchanged = before === undefined || this.#unchanged(before);
      if (isThenable(unchanged)) unchanged = await unchanged;
      if (serialized === null || !policy.statuses.includes(serialized.status) || !unchanged) {
        settle(null);
        return toPayload(reply, value, this.#result);
      }
      const now = Date.now();
      const stored: CacheEntry = {
        ...serialized,
        etag: strongEtag(serialized.body),
        storedAt: now,
        expiresAt: now + policy.ttl * 1000,
        tags: policy.tags,
        tagVersions: before,
      };
      await store.set(key, stored);
      settle(stored);
      return replyWithEntry(request, reply, stored, control, false);
    } catch (err) {
      fail(err);
      throw err;
    } finally {
      inflight.delete(key);
    }
  }

  // Whether no tag moved on since `before` (the store re-checks in `set`; this spares the waiters).
  #unchanged(before: readonly number[]): boolean | Promise<boolean> {
    const now = this.#cache.store.tagVersions!(this.#policy.tags);
    return isThenable(now) ? now.then((v) => sameVersions(before, v)) : sameVersions(before, now);
  }
}

function sameVersions(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
