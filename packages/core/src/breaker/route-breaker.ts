import type { BreakerSettings } from './breaker-options.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** `admit()` lets the request through as an ordinary call. */
export const PASS = -1;
/** `admit()` lets the request through as a half-open probe: report it with `probeEnded()`. */
export const PROBE = -2;

/**
 * One route's breaker: a small state machine over consecutive failures. Not opossum: opossum
 * wraps a function call and opens on an error percentage over a rolling window with its own
 * timers; here the outcome is an HTTP status seen when the response ends, the rule is
 * "N failures in a row", and time is only read (from an injectable clock), never scheduled.
 */
export class RouteBreaker {
  readonly #settings: BreakerSettings;
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probes = 0;
  // A probe reports to the half-open period that let it through, not to a later one.
  #period = 0;

  constructor(settings: BreakerSettings) {
    this.#settings = settings;
  }

  get state(): BreakerState {
    return this.#state;
  }

  get period(): number {
    return this.#period;
  }

  /** PASS, PROBE, or the seconds a refused client should wait (for Retry-After). */
  admit(): number {
    if (this.#state === 'closed') return PASS;
    const now = this.#settings.now();
    if (this.#state === 'open') {
      const left = this.#openedAt + this.#settings.resetTimeoutMs - now;
      if (left > 0) return Math.max(1, Math.ceil(left / 1000));
      this.#state = 'half-open';
      this.#probes = 0;
      this.#period++;
    }
    if (this.#probes >= this.#settings.halfOpenRequests) return 1;
    this.#probes++;
    return PROBE;
  }

  /** An ordinary call's answer. Answers to calls let in before the breaker opened are ignored. */
  ended(failed: boolean): boolean {
    if (this.#state !== 'closed') return false;
    if (!failed) {
      this.#failures = 0;
      return false;
    }
    if (++this.#failures < this.#settings.failureThreshold) return false;
    this.#open();
    return true;
  }

  /**
   * A probe's answer: a success closes, a failure opens again; a probe whose client went away
   * before the answer frees its place and decides nothing. True when the breaker opened.
   */
  probeEnded(period: number, outcome: 'success' | 'failure' | 'aborted'): boolean {
    if (period !== this.#period || this.#state !== 'half-open') return outcome === 'aborted' ? false : this.ended(outcome === 'failure');
    this.#probes--;
    if (outcome === 'aborted') return false;
    if (outcome === 'success') {
      this.#state = 'closed';
      this.#failures = 0;
      return false;
    }
    this.#open();
    return true;
  }

  #open(): void {
    this.#state = 'open';
    this.#openedAt = this.#settings.now();
    this.#failures = 0;
  }
}
