/**
 * Where stages that are not the metrics feature report what metrics count (a 429, a cache
 * hit, a failed background task). Every field is null until `enablePrometheus()` fills it, so
 * an app without metrics pays one null check at each of these (rare) points and nothing else.
 * One per app, so two apps in one process count apart.
 */
export class AppObserver {
  /** A request the rate limiter refused (429). */
  rateLimited: ((method: string, route: string) => void) | null = null;
  /** A response cache lookup that found an entry. */
  cacheHit: ((route: string) => void) | null = null;
  /** A response cache lookup that found nothing. */
  cacheMiss: ((route: string) => void) | null = null;
  /**
   * A hit answered by the cache's fast path, before fastify runs (no hook sees it): counted as a
   * request too. `startedAt` is from `performance.now()`.
   */
  fastPathServed: ((method: string, route: string, status: number, startedAt: number) => void) | null = null;
  /** A background task that threw. */
  backgroundTaskFailed: ((route: string) => void) | null = null;
  /** A dependency cleanup (the code after `yield`) that threw. */
  cleanupFailed: ((route: string) => void) | null = null;
  /**
   * A synchronous stretch over blocking detection's threshold: `route` is `METHOD /pattern`,
   * `stage` is `handler`, `guard <Name>` or `dependency <name>`.
   */
  eventLoopBlocked: ((route: string, stage: string, seconds: number) => void) | null = null;
}
