import type { IncomingMessage, ServerResponse } from 'node:http';
import FindMyWay from 'find-my-way';
import type { RouteDefinition } from '../routing/route-table.js';
import { cacheKey, hasCredentials } from './cache-key.js';
import type { CachePolicy } from './cache-options.js';
import type { CacheEntry } from './cache-store.js';
import { entryHeaders } from './entry-headers.js';
import { matchesIfNoneMatch } from './etag.js';
import type { ResponseCache } from './response-cache.js';

interface FastRoute {
  readonly path: string;
  readonly policy: CachePolicy;
  readonly control: string;
  /** The policy's `vary` headers as a Vary value, or null. */
  readonly vary: string | null;
}

function writeEntry(req: IncomingMessage, res: ServerResponse, entry: CacheEntry, route: FastRoute): void {
  const headers = entryHeaders(entry, route.control, true);
  if (route.vary !== null) headers.vary = route.vary;
  if (matchesIfNoneMatch(req.headers['if-none-match'] as string | undefined, entry.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  headers['content-length'] = entry.body.length;
  res.writeHead(entry.status, headers);
  if (req.method === 'HEAD') res.end();
  else res.end(entry.body);
}

/**
 * Cache hits answered straight from the HTTP server, before fastify builds its request and
 * reply: a hit then costs less than rendering the response, which is the point of caching.
 * Only routes with nothing to run before the lookup qualify (no guards, hooks or custom key);
 * anything else, every miss, and stores that answer asynchronously go through fastify as usual.
 */
export class CacheFastPath {
  readonly #router = FindMyWay({ ignoreTrailingSlash: true });
  readonly #cache: ResponseCache;
  #routes = 0;

  constructor(cache: ResponseCache) {
    this.#cache = cache;
  }

  /** Registers a route if it qualifies; returns whether it did. */
  add(def: RouteDefinition, hasHooks: boolean): boolean {
    const policy = def.cache;
    if (policy === null || policy.key !== undefined || hasHooks || def.guards.length > 0) return false;
    const vary = policy.vary.length > 0 ? policy.vary.join(', ') : null;
    const route: FastRoute = { path: def.path, policy, control: `public, max-age=${Math.floor(policy.ttl)}`, vary };
    this.#router.on('GET', def.path, () => undefined, route);
    this.#routes++;
    return true;
  }

  get isEmpty(): boolean {
    return this.#routes === 0;
  }

  /** Answers a hit and returns true; returns false for fastify to handle the request. */
  tryServe(req: IncomingMessage, res: ServerResponse): boolean {
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const found = this.#router.find('GET', q === -1 ? url : url.slice(0, q));
    if (found === null) return false;
    const route = found.store as FastRoute;
    if (hasCredentials(req.headers)) return false;
    // Only used with the synchronous memory store (see App), so this is never a promise.
    const entry = this.#cache.store.get(cacheKey(route.path, url, req.headers, route.policy)) as CacheEntry | undefined;
    if (entry === undefined) return false;
    const observer = this.#cache.observer;
    const served = observer.fastPathServed;
    const startedAt = served !== null ? performance.now() : 0;
    writeEntry(req, res, entry, route);
    // No fastify hook sees this request: it reports itself.
    if (served !== null) served(method, route.path, res.statusCode, startedAt);
    if (observer.cacheHit !== null) observer.cacheHit(route.path);
    return true;
  }
}
