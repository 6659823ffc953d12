import type { RequestContext } from '@cello/core';
import { Database } from './database.js';
import type { DbConnection } from './db.js';

/**
 * A dependency: one connection for this request, shared by every handler parameter and
 * sub-dependency that asks for it, released after the response has been sent.
 *
 * @example
 * profile(@Depends(getDb) db: DbConnection) { ... }
 */
export async function* getDb(ctx: RequestContext): AsyncGenerator<DbConnection> {
  const conn = await ctx.container.resolve(Database).connect();
  try {
    yield conn;
  } finally {
    conn.release();
  }
}
