import type { FastifyBaseLogger } from 'fastify';
import { celloError } from '../errors/cello-error.js';
import type { AppObserver } from '../metrics/observer.js';

export interface BlockingDetectionOptions {
  /** A synchronous stretch longer than this is reported (default 50). */
  thresholdMs?: number;
  /** Seconds between two warnings for the same route and stage (default 60); the next one counts those left out. */
  warnEvery?: number;
}

/** One report, as the warning's fields carry it. */
export interface BlockedStretch {
  /** The route, as `GET /path`. */
  readonly route: string;
  /** `handler`, `guard <Name>` or `dependency <name>`. */
  readonly stage: string;
  readonly ms: number;
}

interface Suppressed {
  until: number;
  count: number;
}

/**
 * Decides what a stretch over the threshold becomes: a rate-limited warning, and a call to each
 * listener (metrics). Only reached when the threshold was crossed, so it may allocate.
 */
export class BlockingDetector {
  readonly thresholdMs: number;
  /** The threshold in nanoseconds, compared with `process.hrtime.bigint()` differences. */
  readonly thresholdNs: bigint;
  readonly #everyMs: number;
  readonly #log: FastifyBaseLogger;
  readonly #suppressed = new Map<string, Suppressed>();
  readonly #observer: AppObserver;

  constructor(log: FastifyBaseLogger, observer: AppObserver, options: BlockingDetectionOptions = {}) {
    const threshold = options.thresholdMs ?? 50;
    if (typeof threshold !== 'number' || !(threshold > 0) || !Number.isFinite(threshold)) {
      throw celloError('CELLO_ERR_BLOCKING_CONFIG', [`thresholdMs must be a positive number of milliseconds, got ${String(threshold)}`]);
    }
    const every = options.warnEvery ?? 60;
    if (typeof every !== 'number' || !(every >= 0)) {
      throw celloError('CELLO_ERR_BLOCKING_CONFIG', [`warnEvery must be zero or more seconds, got ${String(every)}`]);
    }
    this.thresholdMs = threshold;
    this.thresholdNs = BigInt(Math.round(threshold * 1e6));
    this.#everyMs = every * 1000;
    this.#log = log;
    this.#observer = observer;
  }

  /** A stretch of `route`'s `stage` took `ns` nanoseconds, over the threshold. */
  report(route: string, stage: string, ns: bigint): void {
    const ms = Math.round(Number(ns) / 1e4) / 100;
    // Every stretch reaches the metrics (cello_event_loop_blocked_seconds); only the warnings are rate-limited.
    this.#observer.eventLoopBlocked?.(route, stage, Number(ns) / 1e9);
    const key = `${route}\0${stage}`;
    const now = Date.now();
    const seen = this.#suppressed.get(key);
    if (seen !== undefined && now < seen.until) {
      seen.count++;
      return;
    }
    const suppressed = seen?.count ?? 0;
    this.#suppressed.set(key, { until: now + this.#everyMs, count: 0 });
    const note = suppressed > 0 ? `; ${suppressed} more since the last warning` : '';
    this.#log.warn(
      { code: 'CELLO_ERR_EVENT_LOOP_BLOCKED', route, stage, ms, thresholdMs: this.thresholdMs, suppressed },
      celloError('CELLO_ERR_EVENT_LOOP_BLOCKED', [route, ms, stage, this.thresholdMs, note]).message,
    );
  }
}

/** On by default, except in production: it is a development aid, and costs two clock reads per stage. */
export function blockingDetectionByDefault(nodeEnv = process.env.NODE_ENV): boolean {
  return nodeEnv !== 'production';
}
