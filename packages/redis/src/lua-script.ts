import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Whether a command failed because the server's script cache does not hold the script. */
export const isNoScript = (err: unknown): boolean => err instanceof Error && err.message.startsWith('NOSCRIPT');

/**
 * A Lua script run by its SHA (EVALSHA). The script cache of a Redis server is emptied by a
 * restart, a failover or SCRIPT FLUSH: on NOSCRIPT it is loaded again (once, however many
 * commands fail at the same time) and the command is repeated.
 */
export class LuaScript {
  readonly sha: string;
  readonly source: string;
  #loading: Promise<unknown> | null = null;

  constructor(source: string) {
    this.source = source;
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script; `buffers` returns bulk replies as Buffers (for bodies). */
  run(client: Redis, keys: readonly string[], args: readonly (string | number | Buffer)[], buffers = false): Promise<unknown> {
    const send = (): Promise<unknown> => buffers
      ? client.callBuffer('evalsha', this.sha, keys.length, ...keys, ...args)
      : client.evalsha(this.sha, keys.length, ...keys, ...args);
    return send().catch((err: unknown) => {
      if (!isNoScript(err)) throw err;
      return this.load(client).then(send);
    });
  }

  /** SCRIPT LOAD, shared by everyone who hit NOSCRIPT meanwhile. */
  load(client: Redis): Promise<unknown> {
    if (this.#loading === null) {
      this.#loading = client.script('LOAD', this.source).finally(() => { this.#loading = null; });
    }
    return this.#loading;
  }
}
