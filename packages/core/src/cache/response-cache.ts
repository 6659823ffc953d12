import type { InvalidateOptions } from './cache-options.js';
import type { CacheEntry, CacheStore } from './cache-store.js';
import { MemoryCacheStore, type MemoryCacheStoreOptions } from './memory-cache-store.js';
import { celloError } from '../errors/cello-error.js';
import { AppObserver } from '../metrics/observer.js';

export interface CacheSetup extends MemoryCacheStoreOptions {
  /** Where entries live (default: a bounded in-memory store sized by maxEntries/maxBytes). */
  store?: CacheStore;
}

/** `app.cache`: the app's response cache. Works with no set-up (a bounded memory store). */
export class ResponseCache {
  #store: CacheStore;
  /** Computations in progress, by key: concurrent misses for one key wait for the first (single flight). */
  readonly inflight = new Map<string, Promise<CacheEntry | null>>();

  /** @internal Where hits and misses are reported (the app's; metrics fill it). */
  readonly observer: AppObserver;

  constructor(setup: CacheSetup = {}, observer: AppObserver = new AppObserver()) {
    this.#store = setup.store ?? new MemoryCacheStore(setup);
    this.observer = observer;
  }

  get store(): CacheStore {
    return this.#store;
  }

  /** @internal Replaces the store (enableCache, before start). */
  configure(setup: CacheSetup): void {
    this.#store = setup.store ?? new MemoryCacheStore(setup);
  }

  /** Drops every entry carrying any of `tags` (on every instance, with a shared store). */
  async invalidate(options: InvalidateOptions): Promise<void> {
    if (!options || !Array.isArray(options.tags)) throw celloError('CELLO_ERR_CACHE_CONFIG', ['cache.invalidate({ tags }) takes a list of tags']);
    await this.#store.invalidateTags(options.tags);
  }

  /** Empties the cache. */
  async clear(): Promise<void> {
    await this.#store.clear();
  }
}
