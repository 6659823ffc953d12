import type { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyBaseLogger } from 'fastify';
import type { BlockingDetector } from './blocking/blocking-detector.js';
import type { RequestLogFields } from './context/log-fields.js';
import type { RequestContext } from './di/request-context.js';
import type { DependencyContainer } from 'tsyringe';
import type { ResolvedMultipartOptions } from './files/multipart-options.js';
import type { PendingWork } from './lifecycle/pending-work.js';
import type { AppObserver } from './metrics/observer.js';
import type { LiveStreams } from './realtime/live-streams.js';
import type { RealtimeSettings } from './realtime/realtime-options.js';

/** What the request path needs from its App, handed to compiled routes at startup. */
export interface AppRuntime {
  readonly container: DependencyContainer;
  readonly log: FastifyBaseLogger;
  /** Dependency replacements from `app.overrideDependency()`. */
  readonly overrides: ReadonlyMap<Function, Function>;
  /** Requests still running a handler, cleanup or background tasks; `close()` waits for it. */
  readonly work: PendingWork;
  /** Open event streams, ended first by `close()`. */
  readonly streams: LiveStreams;
  /** WebSocket message limit and SSE heartbeat defaults. */
  readonly realtime: RealtimeSettings;
  /** The app-wide `handlerTimeout`, in ms (0: none). */
  readonly handlerTimeoutMs: number;
  /** Limits and storage for multipart bodies (`new App({ multipart })`). */
  readonly multipart: ResolvedMultipartOptions;
  /** The storage requests run in (`new App({ requestContext: true })`), or null: routes never enter one. */
  readonly context: AsyncLocalStorage<RequestContext> | null;
  /** What log lines written inside a request carry (null: request context off); tracing adds its trace id here. */
  readonly logFields: RequestLogFields | null;
  /** Times the synchronous stretches of each route (`app.enableBlockingDetection()`), or null. Set before routes compile. */
  blocking: BlockingDetector | null;
  /** Where stages report what metrics count; its fields are null when metrics are off. */
  readonly observer: AppObserver;
}
