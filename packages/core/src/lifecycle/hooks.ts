import type { FastifyBaseLogger } from 'fastify';
import { celloError } from '../errors/cello-error.js';

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

type Phase = 'idle' | 'starting' | 'started' | 'stopped';

function hasHooks(instance: object): boolean {
  const s = instance as Partial<OnStartup & OnShutdown>;
  return typeof s.onStartup === 'function' || typeof s.onShutdown === 'function';
}

/**
 * Startup and shutdown, in order. Startup: the app's `startup` hooks in registration order,
 * then `onStartup()` of every singleton and controller the app created, in the order they were
 * created (dependencies first), wherever they were reached from. Shutdown runs the reverse:
 * `onShutdown()` of every instance that started, newest first, then the app's `shutdown`
 * hooks, newest first; each step once in the app's life. A failing startup shuts down what had
 * started and rethrows.
 */
export class Lifecycle {
  readonly #startup: LifecycleHook[] = [];
  readonly #shutdown: LifecycleHook[] = [];
  readonly #waiting: object[] = [];
  #started: Started[] = [];
  #phase: Phase = 'idle';
  #log: FastifyBaseLogger | undefined;
  #stoppedCleanly = true;

  on(event: LifecycleEvent, hook: LifecycleHook): void {
    if (event !== 'startup' && event !== 'shutdown') throw celloError('CELLO_ERR_LIFECYCLE_HOOK_INVALID', [`Unknown lifecycle event "${String(event)}"; use 'startup' or 'shutdown'`]);
    if (typeof hook !== 'function') throw celloError('CELLO_ERR_LIFECYCLE_HOOK_INVALID', [`onEvent('${event}', hook) expects a function, got ${typeof hook}`]);
    if (event === 'startup') this.#startup.push(hook);
    else this.#shutdown.push(hook);
  }

  /**
   * An instance the app created (a singleton or a controller). Before or during startup it
   * starts with the others; one first created later (by a dependency during a request) starts
   * at once, its failure logged.
   */
  adopt(instance: object): void {
    if (!hasHooks(instance)) return;
    if (this.#phase === 'idle' || this.#phase === 'starting') this.#waiting.push(instance);
    else if (this.#phase === 'started') {
      this.#startOne(instance).catch((err: unknown) => {
        this.#log?.error({ err, code: 'CELLO_ERR_LIFECYCLE_STARTUP_FAILED' }, `onStartup of ${instance.constructor.name} failed`);
      });
    }
  }

  async start(log: FastifyBaseLogger): Promise<void> {
    this.#log = log;
    this.#phase = 'starting';
    try {
      for (const hook of this.#startup) await hook();
      // A startup hook or an onStartup may create more instances: they join the queue.
      for (let instance = this.#waiting.shift(); instance !== undefined; instance = this.#waiting.shift()) await this.#startOne(instance);
      this.#phase = 'started';
    } catch (err) {
      log.error({ err, code: 'CELLO_ERR_LIFECYCLE_STARTUP_FAILED' }, `startup failed: ${(err as Error)?.message ?? String(err)}; shutting down`);
      await this.stop(log);
      throw err;
    }
  }

  async #startOne(instance: object): Promise<void> {
    const service = instance as Partial<OnStartup & OnShutdown>;
    if (typeof service.onStartup === 'function') await service.onStartup();
    if (typeof service.onShutdown === 'function') {
      this.#started.push({ name: instance.constructor.name, stop: service.onShutdown.bind(service) });
    }
  }

  /**
   * Runs every shutdown step, once in the app's life; a failing step is logged and the rest
   * still run. Resolves false when a step failed (this time or the first time), so a
   * signal-driven shutdown can exit non-zero.
   */
  async stop(log: FastifyBaseLogger): Promise<boolean> {
    if (this.#phase === 'stopped') return this.#stoppedCleanly;
    this.#phase = 'stopped';
    const steps: Started[] = [
      ...this.#started.reverse(),
      ...[...this.#shutdown].reverse().map((stop) => ({ name: stop.name || 'shutdown hook', stop })),
    ];
    this.#started = [];
    for (const step of steps) {
      try {
        await step.stop?.();
      } catch (err) {
        this.#stoppedCleanly = false;
        log.error({ err, code: 'CELLO_ERR_LIFECYCLE_SHUTDOWN_FAILED' }, `shutdown of ${step.name} failed`);
      }
    }
    return this.#stoppedCleanly;
  }
}
