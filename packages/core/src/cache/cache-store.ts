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
  /** Drops every entry carrying any of `tags`. */
  invalidateTags(tags: readonly string[]): void | Promise<void>;
  clear(): void | Promise<void>;
  /** Releases connections and timers; called by `app.close()`. */
  close?(): void | Promise<void>;
}
