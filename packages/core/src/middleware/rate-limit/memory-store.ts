import type { RateLimitRule } from './config.js';
import { countInWindow, takeToken, type BucketState, type WindowState } from './algorithms.js';
import type { RateLimitDecision, RateLimitStore } from './store.js';
import { celloError } from '../../errors/cello-error.js';

export interface MemoryRateLimitStoreOptions {
  /** Most keys tracked at once; the least recently seen key is forgotten first (default 10,000). */
  maxKeys?: number;
}

/**
 * An in-process store, bounded: memory does not grow with the number of distinct clients beyond
 * `maxKeys`, and no timer is kept per key or per hit (state is brought up to date when read).
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #entries = new Map<string, BucketState | WindowState>();
  readonly #maxKeys: number;

  constructor(options: MemoryRateLimitStoreOptions = {}) {
    this.#maxKeys = options.maxKeys ?? 10_000;
    if (!Number.isInteger(this.#maxKeys) || this.#maxKeys < 1) throw celloError('CELLO_ERR_RATE_LIMIT_CONFIG', ['MemoryRateLimitStore: maxKeys must be a positive integer']);
  }

  hit(key: string, rule: RateLimitRule, now: number): RateLimitDecision {
    const previous = this.#entries.get(key);
    const { state, decision } = rule.algorithm === 'token-bucket'
      ? takeToken(previous as BucketState | undefined, rule, now)
      : countInWindow(previous as WindowState | undefined, rule, now);
    // Delete then set: a Map iterates in insertion order, so the first key is the least recent.
    if (previous !== undefined) this.#entries.delete(key);
    else if (this.#entries.size >= this.#maxKeys) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, state);
    return decision;
  }

  /** Keys currently tracked. */
  get size(): number {
    return this.#entries.size;
  }
}
