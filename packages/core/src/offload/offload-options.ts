import { availableParallelism } from 'node:os';
import { celloError } from '../errors/cello-error.js';

/** `new App({ offload })`: the worker thread pool behind `@Offload()` routes. */
export interface OffloadOptions {
  /** Threads kept running even when idle (default 1). */
  minThreads?: number;
  /** Most threads running at once (default: the CPU count less one, at least 1). */
  maxThreads?: number;
  /** Seconds a thread above `minThreads` may stay idle before it stops (default 30). */
  idleTimeout?: number;
}

export interface OffloadSettings {
  readonly minThreads: number;
  readonly maxThreads: number;
  readonly idleTimeoutMs: number;
}

function count(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw celloError('CELLO_ERR_OFFLOAD_CONFIG', [`${name} must be a whole number of at least ${min}, got ${String(value)}`]);
  }
  return value;
}

export function offloadSettings(options: OffloadOptions = {}): OffloadSettings {
  const maxThreads = count('maxThreads', options.maxThreads, Math.max(1, availableParallelism() - 1), 1);
  const minThreads = count('minThreads', options.minThreads, Math.min(1, maxThreads), 0);
  if (minThreads > maxThreads) throw celloError('CELLO_ERR_OFFLOAD_CONFIG', [`minThreads (${minThreads}) is more than maxThreads (${maxThreads})`]);
  const idle = options.idleTimeout ?? 30;
  if (typeof idle !== 'number' || !(idle >= 0) || !Number.isFinite(idle)) {
    throw celloError('CELLO_ERR_OFFLOAD_CONFIG', [`idleTimeout is in seconds and must be a number of at least 0, got ${String(idle)}`]);
  }
  return { minThreads, maxThreads, idleTimeoutMs: idle * 1000 };
}
