import type { CacheEntry, CacheStore } from './cache-store.js';
import { celloError } from '../errors/cello-error.js';

export interface MemoryCacheStoreOptions {
  /** Most entries kept (default 1000). */
  maxEntries?: number;
  /** Most body bytes kept (default 64 MiB). */
  maxBytes?: number;
}

/**
 * A bounded LRU in process memory: the least recently used entries go first when either bound
 * is reached. Expiry is checked on read, so no timer is kept per entry.
 */
export class MemoryCacheStore implements CacheStore {
  readonly #entries = new Map<string, CacheEntry>();
  readonly #byTag = new Map<string, Set<string>>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(options: MemoryCacheStoreOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 1000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    if (!(this.#maxEntries >= 1) || !(this.#maxBytes >= 1)) throw celloError('CELLO_ERR_CACHE_CONFIG', ['MemoryCacheStore: maxEntries and maxBytes must be positive']);
  }

  get(key: string): CacheEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (Date.now() >= entry.expiresAt) {
      this.delete(key);
      return undefined;
    }
    // Re-insert: Map order is our recency order.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: CacheEntry): void {
    this.delete(key);
    if (entry.body.length > this.#maxBytes) return; // would evict everything and still not fit
    this.#entries.set(key, entry);
    this.#bytes += entry.body.length;
    for (const tag of entry.tags) {
      let keys = this.#byTag.get(tag);
      if (keys === undefined) this.#byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    while (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      this.delete(this.#entries.keys().next().value!);
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.body.length;
    for (const tag of entry.tags) {
      const keys = this.#byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.#byTag.delete(tag);
    }
  }

  invalidateTags(tags: readonly string[]): void {
    for (const tag of tags) {
      for (const key of [...(this.#byTag.get(tag) ?? [])]) this.delete(key);
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#byTag.clear();
    this.#bytes = 0;
  }

  /** Entries currently kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** Body bytes currently kept. */
  get bytes(): number {
    return this.#bytes;
  }
}
