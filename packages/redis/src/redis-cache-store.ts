import type { Redis } from 'ioredis';
import type { CacheEntry, CacheStore } from '@cello/core';
import { CelloError } from '@cello/core';
import { connectionOptions, RedisConnection, type RedisConnectionOptions } from './connection.js';
import { clearScript, getEntryScript, invalidateScript, setEntryScript } from './cache-scripts.js';

export interface RedisCacheStoreOptions extends RedisConnectionOptions {
  /**
   * Seconds a tag's generation is kept after an invalidation when no stored entry names the tag
   * (default 3600): a response still being computed when the tag was invalidated, and finishing
   * within this time, is not stored.
   */
  invalidationGrace?: number;
}

interface Meta {
  readonly s: number;
  readonly h: Readonly<Record<string, string>>;
  readonly t: string;
  /** ttl in ms: with the key's remaining PTTL it gives storedAt on this instance's clock. */
  readonly l: number;
  readonly g: readonly string[];
}

/**
 * Cached responses in Redis, shared by every instance: bodies stored as bytes with their ETag,
 * entries expiring with their ttl, and tag invalidation by generations (one INCR, no scan of
 * the keyspace) that every instance sees at its next read. While Redis is unreachable the cache
 * is bypassed: handlers run, nothing is stored, nothing waits past `commandTimeout`; an
 * invalidation that could not be sent is sent before this instance reads the cache again.
 *
 * @example
 * app.enableCache({ store: new RedisCacheStore(process.env.REDIS_URL) });
 */
export class RedisCacheStore implements CacheStore {
  readonly #connection: RedisConnection;
  readonly #graceMs: number;
  readonly #entryPrefix: string;
  readonly #tagPrefix: string;
  readonly #epochKey: string;
  readonly #clockKey: string;
  // Invalidations Redis did not take (it was down): replayed before the next read.
  #pendingTags: Set<string> | null = null;
  #pendingClear = false;

  constructor(target?: string | Redis | RedisCacheStoreOptions, options?: RedisCacheStoreOptions) {
    const resolved = connectionOptions('RedisCacheStore', target, options);
    const grace = resolved.invalidationGrace ?? 3600;
    if (!(Number.isFinite(grace) && grace > 0)) throw new CelloError('CELLO_ERR_REDIS_CONFIG', `@cello/redis: RedisCacheStore: invalidationGrace must be a positive number of seconds, got ${grace}.`);
    this.#graceMs = Math.ceil(grace * 1000);
    this.#connection = new RedisConnection(resolved, 'response cache', 'bypassed (handlers run, nothing is stored)');
    const prefix = this.#connection.prefix;
    this.#entryPrefix = `${prefix}cache:e:`;
    this.#tagPrefix = `${prefix}cache:t:`;
    this.#epochKey = `${prefix}cache:epoch`;
    this.#clockKey = `${prefix}cache:clock`;
  }

  /** The ioredis client in use. */
  get client(): Redis {
    return this.#connection.client;
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    if (!(await this.#ready())) return undefined;
    const connection = this.#connection;
    let reply: [Buffer, Buffer, number] | null;
    try {
      reply = await connection.bounded(getEntryScript.run(connection.client, [this.#entryPrefix + key, this.#epochKey], [], true)) as [Buffer, Buffer, number] | null;
    } catch (err) {
      connection.failed(err);
      return undefined;
    }
    connection.succeeded();
    if (reply === null) return undefined;
    const meta = JSON.parse(reply[0].toString()) as Meta;
    // Times on this instance's clock, from the server's remaining TTL: skewed clocks agree on Age.
    const expiresAt = Date.now() + Number(reply[2]);
    return { status: meta.s, headers: meta.h, body: reply[1], etag: meta.t, storedAt: expiresAt - meta.l, expiresAt, tags: meta.g };
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    const ttl = Math.ceil(entry.expiresAt - entry.storedAt);
    if (!(ttl > 0) || !(await this.#ready())) return;
    const connection = this.#connection;
    const meta: Meta = { s: entry.status, h: entry.headers, t: entry.etag, l: ttl, g: entry.tags };
    const keys = [this.#entryPrefix + key, this.#epochKey];
    for (const tag of entry.tags) keys.push(this.#tagPrefix + tag);
    const versions = entry.tagVersions;
    const args: (string | number | Buffer)[] = [ttl, JSON.stringify(meta), entry.body, versions === undefined ? '0' : '1'];
    if (versions !== undefined) for (const v of versions) args.push(v);
    try {
      await connection.bounded(setEntryScript.run(connection.client, keys, args));
      connection.succeeded();
    } catch (err) {
      connection.failed(err);
    }
  }

  async delete(key: string): Promise<void> {
    if (!(await this.#ready())) return;
    try {
      await this.#connection.bounded(this.#connection.client.del(this.#entryPrefix + key));
      this.#connection.succeeded();
    } catch (err) {
      this.#connection.failed(err);
    }
  }

  async invalidateTags(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    const pending = (this.#pendingTags ??= new Set());
    for (const tag of tags) pending.add(tag);
    await this.#flush();
  }

  async clear(): Promise<void> {
    this.#pendingClear = true;
    await this.#flush();
  }

  async tagVersions(tags: readonly string[]): Promise<readonly number[]> {
    // NaN equals nothing: a response computed while Redis is unreachable is never stored.
    const unknown = (): number[] => tags.map(() => NaN);
    if (!(await this.#ready())) return unknown();
    const connection = this.#connection;
    try {
      const values = await connection.bounded(connection.client.mget(this.#epochKey, ...tags.map((t) => this.#tagPrefix + t)));
      connection.succeeded();
      const epoch = Number(values[0] ?? 0);
      return tags.map((_, i) => Math.max(Number(values[i + 1] ?? 0), epoch));
    } catch (err) {
      connection.failed(err);
      return unknown();
    }
  }

  /** Quits the client if the store created it (from a URL); a client you passed stays open. */
  close(): Promise<void> {
    return this.#connection.close();
  }

  // Whether Redis may be asked: connected, and every invalidation this instance made has reached it.
  async #ready(): Promise<boolean> {
    let usable = this.#connection.usable();
    if (usable !== true) usable = await usable;
    if (!usable) {
      this.#connection.failed(new Error(`not connected (${this.#connection.client.status})`));
      return false;
    }
    return this.#pendingTags === null && !this.#pendingClear ? true : this.#flush();
  }

  // Sends the pending invalidations; until they are through the cache stays bypassed here.
  async #flush(): Promise<boolean> {
    const connection = this.#connection;
    let usable = connection.usable();
    if (usable !== true) usable = await usable;
    if (!usable) {
      connection.failed(new Error(`not connected (${connection.client.status}); the invalidation is sent when Redis is back`));
      return false;
    }
    try {
      if (this.#pendingClear) {
        await connection.bounded(clearScript.run(connection.client, [this.#clockKey, this.#epochKey], []));
        this.#pendingClear = false;
      }
      const tags = this.#pendingTags;
      if (tags !== null) {
        this.#pendingTags = null;
        try {
          await connection.bounded(invalidateScript.run(connection.client, [this.#clockKey, ...[...tags].map((t) => this.#tagPrefix + t)], [this.#graceMs]));
        } catch (err) {
          const again = (this.#pendingTags ??= new Set());
          for (const tag of tags) again.add(tag);
          throw err;
        }
      }
    } catch (err) {
      connection.failed(err);
      return false;
    }
    connection.succeeded();
    return true;
  }
}
