import type { FastifyBaseLogger } from 'fastify';
import type { DependencyContainer } from 'tsyringe';

/** What the request path needs from its App, handed to compiled routes at startup. */
export interface AppRuntime {
  readonly container: DependencyContainer;
  readonly log: FastifyBaseLogger;
  /** Dependency replacements from `app.overrideDependency()`. */
  readonly overrides: ReadonlyMap<Function, Function>;
  /** Work after a response (cleanup, background tasks) began / ended; `close()` waits for it. */
  afterResponseStarted(): void;
  afterResponseDone(): void;
}
