import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';

export const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const probe = `
const { Client } = require('pg');
const client = new Client({ connectionString: process.env.PROBE_URL, connectionTimeoutMillis: 3000 });
client.connect().then(() => client.query('SELECT 1')).then(() => client.end()).then(
  () => process.exit(0),
  (err) => { console.error(err.message || String(err)); process.exit(1); },
);`;

/**
 * Whether PostgreSQL answers, decided synchronously (in a child process) so a test file can
 * choose between `describe` and `describe.skip` while jest collects its tests.
 */
export function probePostgres(url = postgresUrl): { ok: true } | { ok: false; reason: string } {
  const result = spawnSync(process.execPath, ['-e', probe], {
    cwd: join(__dirname, '..', '..'), // apps/example, where `pg` resolves
    env: { ...process.env, PROBE_URL: url },
    encoding: 'utf8',
    timeout: 15_000,
  });
  if (result.status === 0) return { ok: true };
  return { ok: false, reason: (result.stderr || result.error?.message || `exit ${result.status}`).trim() };
}

/** A schema name no other test run uses, so runs never see each other's rows. */
export function uniqueSchema(): string {
  return `example_test_${process.pid}_${Date.now().toString(36)}`;
}

export async function dropSchema(schema: string, url = postgresUrl): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
