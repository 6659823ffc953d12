import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { CelloError, celloError } from '../errors/cello-error.js';
import type { Feature } from '../features/feature.js';
import type { RouteDefinition } from '../routing/route-table.js';
import { checkOffloadRoute } from './check-route.js';
import { locateController } from './locate-module.js';
import { offloadSettings, type OffloadOptions } from './offload-options.js';
import { rebuildError } from './thrown-error.js';
import type { CallTask, ModuleRef, ProbeTask, TaskResult } from './task.js';

// The worker runs in plain Node, so it is always the build: next to this file when Cello runs
// from dist, or the package's dist when its sources run under a test runner.
function workerFile(): string {
  const here = join(__dirname, 'worker.js');
  return existsSync(here) ? here : join(__dirname, '..', '..', 'dist', 'offload', 'worker.js');
}

interface Offloaded {
  readonly def: RouteDefinition;
  readonly module: ModuleRef;
}

/**
 * The worker thread pool behind `@Offload()` routes, as a feature: it adds no hooks (the
 * compiled route calls it instead of the method) and closes with the app, after the requests
 * in flight, letting started tasks finish.
 */
export class OffloadPool implements Feature {
  readonly name = 'offload';
  // No hooks, so its place among the features does not matter; it closes after those before it.
  readonly order = 100;
  readonly #routes = new Map<RouteDefinition, Offloaded>();
  readonly #pool: Piscina;

  private constructor(options: OffloadOptions | undefined, closeTimeoutMs: number) {
    const settings = offloadSettings(options);
    this.#pool = new Piscina({
      filename: workerFile(),
      minThreads: settings.minThreads,
      maxThreads: settings.maxThreads,
      idleTimeout: settings.idleTimeoutMs,
      closeTimeout: closeTimeoutMs,
      // Between tasks a thread keeps running its event loop: services may hold timers and sockets.
      atomics: 'disabled',
      recordTiming: false,
    });
  }

  /**
   * The pool for the app's `@Offload()` routes, or null when it has none. Checks each route's
   * parameters, finds each controller's compiled module, and has a worker load them all, so
   * every mistake is a startup error.
   */
  static async forRoutes(table: readonly RouteDefinition[], options: OffloadOptions | undefined, closeTimeoutMs: number): Promise<OffloadPool | null> {
    const defs = table.filter((def) => def.offload);
    if (defs.length === 0) return null;
    for (const def of defs) checkOffloadRoute(def);
    const located = await Promise.all(defs.map(async (def) => ({ def, module: await locateController(def.controller!, def.site, def.handlerName) })));
    const pool = new OffloadPool(options, closeTimeoutMs);
    for (const entry of located) pool.#routes.set(entry.def, entry);
    try {
      await pool.#probe();
    } catch (err) {
      await pool.#pool.destroy();
      throw err;
    }
    return pool;
  }

  async #probe(): Promise<void> {
    const byModule = new Map<string, { module: ModuleRef; methods: string[]; label: string }>();
    for (const { def, module } of this.#routes.values()) {
      const key = `${module.file}#${module.exportName}`;
      const entry = byModule.get(key) ?? { module, methods: [], label: def.handlerName };
      entry.methods.push(def.propertyKey!);
      byModule.set(key, entry);
    }
    const task: ProbeTask = { type: 'probe', targets: [...byModule.values()] };
    let problems: string[];
    try {
      problems = (await this.#pool.run(task)) as string[];
    } catch (err) {
      throw celloError('CELLO_ERR_OFFLOAD_MODULE', ['its routes', `the worker thread did not start: ${(err as Error)?.message ?? String(err)}`], { cause: err });
    }
    if (problems.length > 0) {
      throw celloError('CELLO_ERR_OFFLOAD_MODULE', [[...byModule.values()].map((e) => e.label).join(', '), `a worker thread could not load it: ${problems.join('; ')}`]);
    }
  }

  /** The stand-in the compiled route calls instead of the method, or undefined for a main-thread route. */
  handlerFor(def: RouteDefinition): ((...args: unknown[]) => Promise<unknown>) | undefined {
    const entry = this.#routes.get(def);
    if (entry === undefined) return undefined;
    const pool = this.#pool;
    const label = def.handlerName;
    const base = { type: 'call', module: entry.module, method: def.propertyKey!, dtos: def.params.filter((p) => p.isDto).map((p) => p.index) } as const;
    // An async function: the compiled route counts it as running until it settles (close() waits).
    return async function offloaded(...args: unknown[]): Promise<unknown> {
      const task: CallTask = { ...base, args };
      let result: TaskResult;
      try {
        result = (await pool.run(task)) as TaskResult;
      } catch (err) {
        if (err instanceof CelloError) throw err;
        throw celloError('CELLO_ERR_OFFLOAD_WORKER_FAILED', [label, (err as Error)?.message ?? String(err)], { cause: err });
      }
      if (result.ok) return result.value;
      if ('uncloneable' in result) throw celloError('CELLO_ERR_OFFLOAD_RESULT', [label, result.uncloneable]);
      throw rebuildError(result.error);
    };
  }

  forRoute(): null {
    return null;
  }

  allowsFastPath(): boolean {
    return true;
  }

  async onClose(): Promise<void> {
    await this.#pool.close();
  }
}
