import pg from 'pg';
import { assertSchemaName, type Db, type DbConnection, type Queryable } from './db.js';

export interface PgDbOptions {
  url: string;
  schema?: string;
  /** Pool size (default 10). */
  max?: number;
  /** An idle pooled connection failed (server restart, network); the pool replaces it. */
  onIdleError?: (err: Error) => void;
}

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]> {
      const result = await client.query(sql, params as unknown[] | undefined);
      return result.rows as T[];
    },
    async exec(sql: string): Promise<void> {
      // Without parameters pg uses the simple query protocol, which runs several statements.
      await client.query(sql);
    },
  };
}

/** PostgreSQL through pg's connection pool. */
export class PgDb implements Db {
  readonly backend = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #queries: Queryable;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
    this.#queries = queryable(pool);
  }

  /** Opens the pool and checks the server answers, so a wrong URL fails at startup. */
  static async open(options: PgDbOptions): Promise<PgDb> {
    const schema = options.schema === undefined ? undefined : assertSchemaName(options.schema);
    if (schema !== undefined) {
      // search_path is per connection; creating the schema first lets the pool's connections use it.
      const setup = new pg.Client({ connectionString: options.url });
      await setup.connect();
      try {
        await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      } finally {
        await setup.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      // A starved pool answers with an error after this long instead of hanging the request.
      connectionTimeoutMillis: 10_000,
      // Sent at connection start, so every pooled connection uses the schema from its first query.
      options: schema === undefined ? undefined : `-c search_path=${schema}`,
    });
    // Without a listener an idle client's error would crash the process.
    pool.on('error', (err) => options.onIdleError?.(err));
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PgDb(pool);
  }

  query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.#queries.query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.#queries.exec(sql);
  }

  async connect(): Promise<DbConnection> {
    const client = await this.#pool.connect();
    return { ...queryable(client), release: () => client.release() };
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(queryable(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      // A connection that cannot even roll back is discarded rather than handed to the next caller.
      await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}
