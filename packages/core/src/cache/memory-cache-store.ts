import type { CacheEntry, CacheStore } from './cache-store.js';
import { celloError } from '../errors/cello-error.js';

export interface MemoryCacheStoreOptions {
  /** Most entries kept (default 1000). */
  maxEntries?: number;
  /** Most body bytes kept (default 64 MiB). */
  maxBytes?: number;
}

const maxTrackedTags = 10_000;

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
  // Tag generations: a tag invalidated gets a fresh value of a clock that only goes up, so no
  // two generations of a tag are equal; tags never invalidated since the last reset are at `#base`.
  readonly #versions = new Map<string, number>();
  #clock = 0;
  #base = 0;

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
    if (entry.tagVersions !== undefined && !this.#current(entry.tags, entry.tagVersions)) return; // computed across an invalidation
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
      this.#bump(tag);
      for (const key of [...(this.#byTag.get(tag) ?? [])]) this.delete(key);
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#byTag.clear();
    this.#bytes = 0;
    this.#resetVersions();
  }

  tagVersions(tags: readonly string[]): number[] {
    const versions = new Array<number>(tags.length);
    for (let i = 0; i < tags.length; i++) versions[i] = this.#versions.get(tags[i]!) ?? this.#base;
    return versions;
  }

  #current(tags: readonly string[], versions: readonly number[]): boolean {
    for (let i = 0; i < tags.length; i++) if ((this.#versions.get(tags[i]!) ?? this.#base) !== versions[i]) return false;
    return true;
  }

  #bump(tag: string): void {
    // Invalidated tags can be any strings (app.cache.invalidate): past a bound, forget them all
    // at once by moving every tag on. Computations in progress then store nothing, which is safe.
    if (this.#versions.size >= maxTrackedTags) this.#resetVersions();
    this.#versions.set(tag, ++this.#clock);
  }

  #resetVersions(): void {
    this.#versions.clear();
    this.#base = ++this.#clock;
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
