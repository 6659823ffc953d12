import type { ExampleConfig } from '../config.js';
import type { Db, DbConnection, Queryable } from './db.js';
import { migrate } from './migrate.js';
import { PgDb } from './pg-db.js';
import { PgliteDb } from './pglite-db.js';
import { seedDemoUsers } from './seed.js';

type DatabaseConfig = Pick<ExampleConfig, 'databaseUrl' | 'pgliteDataDir' | 'databaseSchema'>;

interface Logger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * The app's database, as services see it: a `Db` that the startup hook opens (connect,
 * migrate, seed) and the shutdown hook closes. It is registered in the app's container, so
 * services inject `Database` while the backend is chosen at runtime from the configuration.
 */
export class Database implements Db {
  readonly #config: DatabaseConfig;
  #db: Db | undefined;

  constructor(config: DatabaseConfig) {
    this.#config = config;
  }

  get backend(): Db['backend'] {
    return this.#config.databaseUrl === undefined ? 'pglite' : 'postgres';
  }

  async open(log: Logger): Promise<void> {
    const { databaseUrl: url, pgliteDataDir: dataDir, databaseSchema: schema } = this.#config;
    const db = url === undefined
      ? await PgliteDb.open({ dataDir, schema })
      : await PgDb.open({ url, schema, onIdleError: (err) => log.error({ err }, 'idle PostgreSQL connection failed') });
    try {
      const applied = await migrate(db);
      await seedDemoUsers(db);
      log.info({ backend: db.backend, schema, migrations: applied }, 'database ready');
    } catch (err) {
      await db.close();
      throw err;
    }
    this.#db = db;
  }

  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    await db?.close();
  }

  get #open(): Db {
    if (this.#db === undefined) throw new Error('The database is not open: it opens in the app\'s startup hook (listen(), ready() or inject())');
    return this.#db;
  }

  query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.#open.query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.#open.exec(sql);
  }

  connect(): Promise<DbConnection> {
    return this.#open.connect();
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#open.transaction(fn);
  }
}
