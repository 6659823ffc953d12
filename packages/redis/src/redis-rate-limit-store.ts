import type { Redis } from 'ioredis';
import { HttpError, type RateLimitDecision, type RateLimitRule, type RateLimitStore } from '@cello/core';
import { connectionOptions, RedisConnection, type RedisConnectionOptions } from './connection.js';
import { slidingWindowScript, tokenBucketScript } from './rate-limit-scripts.js';
import { isNoScript } from './lua-script.js';

export interface RedisRateLimitStoreOptions extends RedisConnectionOptions {
  /**
   * When Redis cannot be reached: `false` (default) lets requests through uncounted, without
   * RateLimit headers; `true` answers them `503` (`CELLO_ERR_REDIS_UNAVAILABLE`).
   */
  failClosed?: boolean;
}

type Reply = [allowed: number, remaining: number, reset: number, retryAfter: number];

/**
 * Rate-limit state in Redis, so every instance of an app counts against one limit. Each check is
 * one Lua script run by its SHA (one round trip, atomic), on Redis server time; every key it
 * writes expires once its state no longer matters.
 *
 * @example
 * app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 100, window: 60 }), { store: new RedisRateLimitStore(process.env.REDIS_URL) });
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #connection: RedisConnection;
  readonly #failClosed: boolean;
  readonly #keyPrefix: string;

  constructor(target?: string | Redis | RedisRateLimitStoreOptions, options?: RedisRateLimitStoreOptions) {
    const resolved = connectionOptions('RedisRateLimitStore', target, options);
    this.#failClosed = resolved.failClosed === true;
    this.#connection = new RedisConnection(resolved, 'rate limits', this.#failClosed ? 'requests are refused with 503' : 'requests pass uncounted');
    this.#keyPrefix = `${this.#connection.prefix}rl:`;
  }

  /** The ioredis client in use. */
  get client(): Redis {
    return this.#connection.client;
  }

  async hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision | null> {
    const connection = this.#connection;
    let usable = connection.usable();
    if (usable !== true) usable = await usable;
    if (!usable) return this.#unavailable(new Error(`not connected (${connection.client.status})`));
    const script = rule.algorithm === 'token-bucket' ? tokenBucketScript : slidingWindowScript;
    const redisKey = this.#keyPrefix + key;
    const windowMs = rule.window * 1000;
    let reply: Reply;
    try {
      // EVALSHA straight from here (no wrapper per request); NOSCRIPT is the rare path.
      try {
        reply = await connection.bounded(connection.client.evalsha(script.sha, 1, redisKey, rule.requests, windowMs)) as Reply;
      } catch (err) {
        if (!isNoScript(err)) throw err;
        await connection.bounded(script.load(connection.client));
        reply = await connection.bounded(connection.client.evalsha(script.sha, 1, redisKey, rule.requests, windowMs)) as Reply;
      }
    } catch (err) {
      return this.#unavailable(err);
    }
    connection.succeeded();
    return { allowed: reply[0] === 1, limit: rule.requests, remaining: reply[1], reset: reply[2], retryAfter: reply[3] };
  }

  #unavailable(err: unknown): null {
    this.#connection.failed(err);
    if (this.#failClosed) {
      throw HttpError.serviceUnavailable('Rate limiting is unavailable; retry shortly', undefined, { code: 'CELLO_ERR_REDIS_UNAVAILABLE', headers: { 'retry-after': '1' } });
    }
    return null;
  }

  /** Quits the client if the store created it (from a URL); a client you passed stays open. */
  close(): Promise<void> {
    return this.#connection.close();
  }
}
