import { Redis } from 'ioredis';
import { CelloError } from '@cello/core';

/** Where a store's two kinds of log line go (`app.log` fits; default `console`). */
export interface RedisStoreLog {
  warn(message: string): void;
  info?(message: string): void;
}

export interface RedisConnectionOptions {
  /** A Redis URL (`redis://host:6379/0`, `rediss://...`); the store creates the client and quits it on `close()`. */
  url?: string;
  /** An ioredis client you own: the store uses it and never quits it. */
  client?: Redis;
  /** Milliseconds a command may take before the store gives up on it (default 200). */
  commandTimeout?: number;
  /** Prefix of every key the store writes (default `'cello:'`). */
  prefix?: string;
  /** Where the one warning per outage goes (default `console`). */
  log?: RedisStoreLog;
}

/** A URL, an ioredis client, or options naming one of them. */
export type RedisTarget = string | Redis | RedisConnectionOptions | undefined;

const defaultUrl = 'redis://127.0.0.1:6379';

function isClient(value: unknown): value is Redis {
  return typeof value === 'object' && value !== null && typeof (value as Redis).evalsha === 'function' && typeof (value as Redis).on === 'function';
}

function configError(message: string): CelloError {
  return new CelloError('CELLO_ERR_REDIS_CONFIG', `@cello/redis: ${message}.`);
}

/** The options in effect: `target` (URL, client or options) merged under `options`. */
export function connectionOptions<T extends RedisConnectionOptions>(store: string, target: string | Redis | T | undefined, options: T | undefined): T {
  let merged: T;
  if (target === undefined || typeof target === 'string') merged = { ...options, url: target ?? options?.url } as T;
  else if (isClient(target)) merged = { ...options, client: target } as T;
  else if (typeof target === 'object' && target !== null) merged = { ...target, ...options } as T;
  else throw configError(`${store} takes a Redis URL, an ioredis client or options with \`url\` or \`client\`, got ${typeof target}`);
  if (merged.client !== undefined && !isClient(merged.client)) throw configError(`${store}: \`client\` must be an ioredis client (new Redis(...))`);
  if (merged.client !== undefined && merged.url !== undefined) throw configError(`${store}: give \`url\` or \`client\`, not both`);
  if (merged.url !== undefined && (typeof merged.url !== 'string' || !/^rediss?:\/\//.test(merged.url))) throw configError(`${store}: url must start with redis:// or rediss://, got ${JSON.stringify(merged.url)}`);
  const timeout = merged.commandTimeout;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) throw configError(`${store}: commandTimeout must be a positive number of milliseconds, got ${timeout}`);
  if (merged.prefix !== undefined && typeof merged.prefix !== 'string') throw configError(`${store}: prefix must be a string`);
  return merged;
}

/** Thrown (and caught by the stores) when Redis cannot be asked: not connected, or too slow. */
export class RedisUnavailable extends Error {
  override readonly name = 'RedisUnavailable';
}

/**
 * One store's hold on a Redis client: creates it (or borrows yours), bounds every command by
 * `commandTimeout`, and turns an outage into one log line when it starts and one when it ends.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly prefix: string;
  readonly timeoutMs: number;
  readonly #owned: boolean;
  // A borrowed client without its own commandTimeout gets ours by a timer per command.
  readonly #ownTimer: boolean;
  readonly #log: RedisStoreLog;
  readonly #name: string;
  readonly #whenDown: string;
  readonly #onError = (err: Error): void => this.failed(err);
  #down = false;
  #everReady: boolean;
  #firstReady: Promise<boolean> | null = null;
  #closed = false;

  /** `name`: what the store serves ("rate limits"); `whenDown`: what happens to it during an outage. */
  constructor(options: RedisConnectionOptions, name: string, whenDown: string) {
    this.timeoutMs = options.commandTimeout ?? 200;
    this.prefix = options.prefix ?? 'cello:';
    this.#log = options.log ?? console;
    this.#name = name;
    this.#whenDown = whenDown;
    if (options.client !== undefined) {
      this.client = options.client;
      this.#owned = false;
      this.#ownTimer = !(this.client.options.commandTimeout! > 0);
      if (this.client.status === 'wait') this.client.connect().catch(() => undefined);
    } else {
      this.client = new Redis(options.url ?? defaultUrl, {
        // Queued commands would run after an outage: rate-limit hits counted late, twice.
        enableOfflineQueue: false,
        commandTimeout: this.timeoutMs,
        // A command in flight when the connection drops fails; it is not resent on reconnect.
        maxRetriesPerRequest: 0,
        connectTimeout: Math.max(1000, this.timeoutMs * 5),
        retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
      });
      this.#owned = true;
      this.#ownTimer = false;
    }
    this.#everReady = this.client.status === 'ready';
    this.client.on('error', this.#onError);
  }

  /**
   * Whether a command may be sent now. Before the first connection completes it waits for it (up
   * to the timeout); after that, a client that is not connected fails at once: every request
   * during an outage is answered without waiting.
   */
  usable(): boolean | Promise<boolean> {
    const status = this.client.status;
    if (status === 'ready') {
      this.#everReady = true;
      return true;
    }
    if (this.#everReady || this.#closed || (status !== 'connecting' && status !== 'connect' && status !== 'wait')) return false;
    // One wait shared by every request that arrives during the first connection.
    return (this.#firstReady ??= new Promise<boolean>((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        this.#firstReady = null;
        resolve(ok);
      };
      const onReady = (): void => done(true);
      const timer = setTimeout(done, this.timeoutMs, false);
      timer.unref();
      this.client.once('ready', onReady);
    }));
  }

  /** `command`, bounded by the timeout when the client does not bound it itself. */
  bounded<T>(command: Promise<T>): Promise<T> {
    if (!this.#ownTimer) return command;
    let timer: NodeJS.Timeout;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RedisUnavailable(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      timer.unref();
    });
    return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
  }

  /** Records a failure: the first one of an outage is logged, the rest are not. */
  failed(err: unknown): void {
    if (this.#down || this.#closed) return;
    this.#down = true;
    const reason = err instanceof Error ? err.message : String(err);
    this.#log.warn(`@cello/redis: Redis is unavailable (${reason}); ${this.#name}: ${this.#whenDown} until it answers again (logged once per outage)`);
  }

  /** Records a success: ends an outage, with one line. */
  succeeded(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#log.info?.(`@cello/redis: Redis answers again; ${this.#name} back to normal`);
  }

  /** Quits a client the store created (so no reconnect timer keeps the process alive); leaves yours open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#owned) {
      this.client.off('error', this.#onError);
      return;
    }
    const client = this.client;
    const ended = client.status === 'end' ? Promise.resolve() : new Promise<void>((resolve) => {
      client.once('end', resolve);
      setTimeout(resolve, this.timeoutMs * 5).unref();
    });
    if (client.status === 'ready') await client.quit().catch(() => undefined);
    // Also stops a reconnect in progress: its timer would keep the process alive.
    client.disconnect();
    await ended;
    // Errors of the closing socket must not reach 'error' without a listener (that would throw).
    this.client.on('error', () => undefined);
    this.client.off('error', this.#onError);
  }
}
