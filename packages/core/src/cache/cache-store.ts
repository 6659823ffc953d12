/**
 * One stored response: the serialized bytes with their ETag, so a hit costs no serialization.
 * `storedAt` and `expiresAt` are epoch milliseconds.
 */
export interface CacheEntry {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly etag: string;
  readonly storedAt: number;
  readonly expiresAt: number;
  readonly tags: readonly string[];
  /**
   * The generations of `tags` (same order) read before the response was computed, when the store
   * has `tagVersions`: a store refuses the entry in `set`, or treats it as a miss in `get`, once
   * any of them is no longer current.
   */
  readonly tagVersions?: readonly number[];
}

/**
 * Where cached responses live. Synchronous or promise-returning: the memory store answers
 * synchronously, so a hit needs no promise. `@cello/redis` implements the same interface so
 * that many instances share entries and tag invalidations.
 */
export interface CacheStore {
  get(key: string): CacheEntry | undefined | Promise<CacheEntry | undefined>;
  set(key: string, entry: CacheEntry): void | Promise<void>;
  delete(key: string): void | Promise<void>;
  /** Drops every entry carrying any of `tags`, and moves their generations on (see `tagVersions`). */
  invalidateTags(tags: readonly string[]): void | Promise<void>;
  /** Drops every entry, and moves every tag's generation on (see `tagVersions`). */
  clear(): void | Promise<void>;
  /** Releases connections and timers; called by `app.close()`. */
  close?(): void | Promise<void>;
  /**
   * The current generation of each of `tags`, in order; `invalidateTags` and `clear` must change
   * the generation of every tag they drop. A miss reads them before computing and does not store
   * its result if any changed meanwhile: without this, a GET that started before an invalidation
   * stores its old result after it. The versions travel in `CacheEntry.tagVersions`, so a shared
   * store can check them atomically in `set` (e.g. a Redis script comparing `tag:<name>`
   * counters) or invalidate lazily: bump the counters in `invalidateTags` and treat an entry
   * whose versions are behind as a miss in `get`. Optional: stores without it keep that race.
   */
  tagVersions?(tags: readonly string[]): readonly number[] | Promise<readonly number[]>;
}
