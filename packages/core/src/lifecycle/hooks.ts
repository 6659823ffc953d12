import type { FastifyBaseLogger } from 'fastify';

export type LifecycleEvent = 'startup' | 'shutdown';
export type LifecycleHook = () => unknown;

/** A service or controller that does work when the app starts. */
export interface OnStartup {
  onStartup(): unknown;
}

/** A service or controller that releases resources when the app shuts down. */
export interface OnShutdown {
  onShutdown(): unknown;
}

interface Started {
  readonly name: string;
  readonly stop: LifecycleHook | null;
}

/**
 * Startup and shutdown, in order. Startup: the app's `startup` hooks in registration order,
 * then `onStartup()` of services (dependencies first) and controllers. Shutdown runs the
 * reverse: `onShutdown()` of every service that started, newest first, then the app's
 * `shutdown` hooks, newest first. A failing startup shuts down what had started and rethrows.
 */
export class Lifecycle {
  readonly #startup: LifecycleHook[] = [];
  readonly #shutdown: LifecycleHook[] = [];
  #started: Started[] = [];

  on(event: LifecycleEvent, hook: LifecycleHook): void {
    if (typeof hook !== 'function') throw new TypeError(`onEvent('${event}', hook) expects a function`);
    if (event === 'startup') this.#startup.push(hook);
    else if (event === 'shutdown') this.#shutdown.push(hook);
    else throw new TypeError(`Unknown lifecycle event "${String(event)}"; use 'startup' or 'shutdown'`);
  }

  async start(instances: readonly object[], log: FastifyBaseLogger): Promise<void> {
    try {
      for (const hook of this.#startup) await hook();
      for (const instance of instances) {
        const service = instance as Partial<OnStartup & OnShutdown>;
        if (typeof service.onStartup === 'function') await service.onStartup();
        if (typeof service.onShutdown === 'function') {
          this.#started.push({ name: instance.constructor.name, stop: service.onShutdown.bind(service) });
        }
      }
    } catch (err) {
      log.error({ err, code: 'CELLO_ERR_LIFECYCLE_STARTUP_FAILED' }, `startup failed: ${(err as Error)?.message ?? String(err)}; shutting down`);
      await this.stop(log);
      throw err;
    }
  }

  /**
   * Runs every shutdown step once; a failing step is logged and the rest still run. Resolves
   * false when a step failed, so a signal-driven shutdown can exit non-zero.
   */
  async stop(log: FastifyBaseLogger): Promise<boolean> {
    const steps: Started[] = [
      ...this.#started.reverse(),
      ...[...this.#shutdown].reverse().map((stop) => ({ name: stop.name || 'shutdown hook', stop })),
    ];
    this.#started = [];
    let ok = true;
    for (const step of steps) {
      try {
        await step.stop?.();
      } catch (err) {
        ok = false;
        log.error({ err, code: 'CELLO_ERR_LIFECYCLE_SHUTDOWN_FAILED' }, `shutdown of ${step.name} failed`);
      }
    }
    return ok;
  }
}
