import { PGlite, type Transaction } from '@electric-sql/pglite';
import { assertSchemaName, type Db, type DbConnection, type Queryable } from './db.js';

export interface PgliteDbOptions {
  /** A folder to keep the database in; undefined keeps it in memory. */
  dataDir?: string;
  schema?: string;
}

function queryable(target: PGlite | Transaction): Queryable {
  return {
    async query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]> {
      const result = await target.query<T>(sql, params === undefined ? undefined : [...params]);
      return result.rows;
    },
    async exec(sql: string): Promise<void> {
      await target.exec(sql);
    },
  };
}

/**
 * PostgreSQL compiled to WebAssembly, in this process: `npm start` needs nothing installed.
 * PGlite is one connection. It already serializes access itself (a query waits for the one
 * before it, and for a running transaction), so there is no pool and no lock here.
 */
export class PgliteDb implements Db {
  readonly backend = 'pglite' as const;
  readonly #pg: PGlite;
  readonly #queries: Queryable;
  // Requests "hold" the single connection only nominally: release() has nothing to give back.
  readonly #connection: DbConnection;

  private constructor(pg: PGlite) {
    this.#pg = pg;
    this.#queries = queryable(pg);
    this.#connection = { ...this.#queries, release: () => undefined };
  }

  static async open(options: PgliteDbOptions = {}): Promise<PgliteDb> {
    const pg = await PGlite.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
    if (options.schema !== undefined) {
      const schema = assertSchemaName(options.schema);
      // One session for the life of the instance, so a session-level search_path sticks.
      await pg.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
    }
    return new PgliteDb(pg);
  }

  query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.#queries.query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.#queries.exec(sql);
  }

  async connect(): Promise<DbConnection> {
    return this.#connection;
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#pg.transaction((tx) => fn(queryable(tx)));
  }

  close(): Promise<void> {
    return this.#pg.close();
  }
}
