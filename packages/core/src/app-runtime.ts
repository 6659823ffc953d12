import type { FastifyBaseLogger } from 'fastify';
import type { DependencyContainer } from 'tsyringe';
import type { ResolvedMultipartOptions } from './files/multipart-options.js';
import type { PendingWork } from './lifecycle/pending-work.js';

/** What the request path needs from its App, handed to compiled routes at startup. */
export interface AppRuntime {
  readonly container: DependencyContainer;
  readonly log: FastifyBaseLogger;
  /** Dependency replacements from `app.overrideDependency()`. */
  readonly overrides: ReadonlyMap<Function, Function>;
  /** Requests still running a handler, cleanup or background tasks; `close()` waits for it. */
  readonly work: PendingWork;
  /** Limits and storage for multipart bodies (`new App({ multipart })`). */
  readonly multipart: ResolvedMultipartOptions;
}
