/**
 * The little database surface the example needs, with one implementation per backend
 * (`pg-db.ts` for PostgreSQL, `pglite-db.ts` for the embedded PGlite). Both speak the same
 * SQL, so services, tasks and migrations never ask which one they got.
 */
export type Row = Record<string, unknown>;

export interface Queryable {
  /** One statement with `$1`-style parameters; resolves to its rows. */
  query<T extends object = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** One or more statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** A connection held for one request; `release()` gives it back. */
export interface DbConnection extends Queryable {
  release(): void;
}

export interface Db extends Queryable {
  readonly backend: 'postgres' | 'pglite';
  /** A dedicated connection, e.g. for a request's lifetime (see `get-db.ts`). */
  connect(): Promise<DbConnection>;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Schema names go into SQL text (`SET search_path`), so only plain identifiers are accepted. */
export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`Database schema "${schema}" must be a lower-case identifier ([a-z_][a-z0-9_]*)`);
  }
  return schema;
}

/** PostgreSQL's unique_violation, as both pg and PGlite report it. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

/** Ids are `serial` (int4): a larger number from a URL names no row, and must not reach SQL as an error. */
export function isRowId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647;
}
