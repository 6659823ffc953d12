import type { FastifyReply, FastifyRequest, onRequestAbortHookHandler, onRequestHookHandler, onResponseHookHandler } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { celloError } from '../errors/cello-error.js';
import { featureOrder, type Feature, type RouteHooks } from '../features/feature.js';
import { httpMethods } from '../http/methods.js';
import type { RouteInfo } from '../routing/route-info.js';
import * as clusterScrape from './cluster-scrape.js';
import type { AppObserver } from './observer.js';
import { defaultBuckets, unmatchedRoute, type PrometheusOptions } from './prometheus-options.js';
import { LabelledCounter, ReadGauge, RequestSeries, type RouteSeries } from './series.js';

/** From a blocking detection threshold's order (tens of ms) to stalls a health check would notice. */
const blockedBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How long a worker waits for the primary to collect every worker's metrics. */
const clusterScrapeTimeoutMs = 5000;

function checkBuckets(buckets: readonly number[]): readonly number[] {
  const ok = buckets.length > 0 && buckets.every((b, i) => Number.isFinite(b) && b > 0 && (i === 0 || b > buckets[i - 1]!));
  if (!ok) throw celloError('CELLO_ERR_METRICS_CONFIG', [`buckets must be positive, finite and increasing (seconds); got [${buckets.join(', ')}]`]);
  return [...buckets];
}

const knownMethods = new Set<string>(httpMethods);
// Unmatched requests may carry any method: unknown ones share one label.
const methodLabel = (method: string): string => (knownMethods.has(method) ? method : '_OTHER');

/**
 * Prometheus metrics (`app.enablePrometheus()`): request count and duration by method, route
 * pattern and status, requests in flight, rate-limit refusals, cache hits and misses,
 * background-task and cleanup failures, and prom-client's Node process metrics. Each route's
 * hooks hold its series, found at startup; a response adds to plain numbers.
 */
export class Prometheus implements Feature {
  readonly name = 'prometheus';
  readonly order = featureOrder.metrics;
  readonly registry: Registry;
  readonly path: string;
  readonly #requests: RequestSeries;
  #inFlight = 0;
  #clustered = false;

  constructor(observer: AppObserver, options: PrometheusOptions = {}) {
    this.path = options.path ?? '/metrics';
    if (!this.path.startsWith('/')) throw celloError('CELLO_ERR_METRICS_CONFIG', [`path must start with "/"; got "${this.path}"`]);
    this.registry = options.registry ?? new Registry();
    if (options.labels !== undefined) this.registry.setDefaultLabels(options.labels);
    const register = (m: { name: string }): void => this.registry.registerMetric(m as never);

    this.#requests = new RequestSeries(checkBuckets(options.buckets ?? defaultBuckets), {
      total: 'cello_http_requests_total',
      duration: 'cello_http_request_duration_seconds',
    });
    register(this.#requests.counter);
    register(this.#requests.histogram);
    register(new ReadGauge('cello_http_requests_in_flight', 'HTTP requests received and not yet answered', () => this.#inFlight));

    const counter = (name: string, help: string): LabelledCounter => {
      const c = new LabelledCounter(name, help);
      register(c);
      return c;
    };
    const limited = counter('cello_rate_limit_rejections_total', 'Requests refused by the rate limiter (429), by method and route pattern');
    const hits = counter('cello_cache_hits_total', 'Response cache hits (including those answered before fastify runs), by route pattern');
    const misses = counter('cello_cache_misses_total', 'Response cache misses, by route pattern');
    const tasks = counter('cello_background_task_failures_total', 'Background tasks that threw, by route pattern');
    const cleanups = counter('cello_dependency_cleanup_failures_total', 'Dependency cleanups (code after yield) that threw, by route pattern');
    // Only stretches over blocking detection's threshold reach it (rare), so prom-client's own
    // label lookup per observation is fine here.
    const blocked = new Histogram({
      name: 'cello_event_loop_blocked_seconds',
      help: 'Synchronous stretches over blocking detection\'s threshold, by method, route pattern and stage',
      labelNames: ['method', 'route', 'stage'],
      buckets: blockedBuckets,
      registers: [],
    });
    this.registry.registerMetric(blocked);
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });

    const requests = this.#requests;
    observer.rateLimited = (method, route) => void limited.child(`${method} ${route}`, { method, route }).value++;
    observer.cacheHit = (route) => void hits.child(route, { route }).value++;
    observer.cacheMiss = (route) => void misses.child(route, { route }).value++;
    observer.backgroundTaskFailed = (route) => void tasks.child(route, { route }).value++;
    observer.cleanupFailed = (route) => void cleanups.child(route, { route }).value++;
    observer.eventLoopBlocked = (label, stage, seconds) => {
      const space = label.indexOf(' ');
      blocked.observe({ method: label.slice(0, space), route: label.slice(space + 1), stage }, seconds);
    };
    observer.fastPathServed = (method, route, status, startedAt) => {
      requests.route(method, route).observe(status, (performance.now() - startedAt) / 1000);
    };
  }

  forRoute(route: RouteInfo): RouteHooks | null {
    // A WebSocket is hijacked from fastify: no response for onResponse to see.
    if (route.kind === 'websocket') return null;
    const requests = this.#requests;
    const methods = route.methods;
    const first = methods[0]!;
    const own = requests.route(first, route.path);
    // GET routes answer HEAD too; a route with several methods finds its series by method.
    const others: Record<string, RouteSeries> = Object.create(null);
    const seriesFor = (method: string): RouteSeries => (method === first ? own : (others[method] ??= requests.route(methodLabel(method), route.path)));
    const onRequest: onRequestHookHandler = (_request, _reply, done) => {
      this.#inFlight++;
      done();
    };
    const onResponse: onResponseHookHandler = (request, reply, done) => {
      this.#inFlight--;
      // fastify times the reply from before the first hook when a route has onResponse hooks.
      seriesFor(request.method).observe(reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    // A client that goes away before the answer: no onResponse comes, and the request is no longer in flight.
    const onRequestAbort: onRequestAbortHookHandler = (_request, done) => {
      this.#inFlight--;
      done();
    };
    return { onRequest, onResponse, onRequestAbort };
  }

  /** Metrics only observe: a cache hit may still be answered before fastify runs (it reports itself). */
  allowsFastPath(): boolean {
    return true;
  }

  onUnmatched(request: FastifyRequest, reply: FastifyReply): void {
    const series = this.#requests.route(methodLabel(request.method), unmatchedRoute);
    const startedAt = performance.now();
    reply.raw.once('finish', () => series.observe(reply.raw.statusCode, (performance.now() - startedAt) / 1000));
  }

  /** In a worker of `listen({ workers })`: scrapes answer for every worker. */
  joinCluster(): void {
    if (!clusterScrape.isClusterWorker()) return;
    this.#clustered = true;
    clusterScrape.joinCluster(this.registry);
  }

  /** In the primary of `listen({ workers })`: collects every worker's metrics when one is scraped. */
  servePrimary(): void {
    clusterScrape.answerScrapes();
  }

  /** The text a scrape answers. */
  scrape(): Promise<string> {
    if (!this.#clustered) return this.registry.metrics();
    return clusterScrape.scrapeCluster(clusterScrapeTimeoutMs).catch((err: Error) => {
      throw celloError('CELLO_ERR_METRICS_SCRAPE_FAILED', [err.message], { cause: err });
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
