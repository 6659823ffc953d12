import { describeFlow } from './support/flow';
import { dropSchema, postgresUrl, probePostgres, uniqueSchema } from './support/postgres';

// The same flow on a real server, in a schema of its own that is dropped afterwards.
const probe = probePostgres();

if (probe.ok) {
  const schema = uniqueSchema();
  describeFlow('PostgreSQL', { database: { databaseUrl: postgresUrl, databaseSchema: schema }, cleanup: () => dropSchema(schema) });
} else if (process.env.CI) {
  test('PostgreSQL is reachable (required in CI)', () => {
    throw new Error(`PostgreSQL at ${postgresUrl} is not reachable: ${probe.reason}`);
  });
} else {
  console.warn(`Skipping the PostgreSQL flow of apps/example: ${postgresUrl} is not reachable (${probe.reason}). CI runs it.`);
  describe.skip('example app on PostgreSQL (PostgreSQL not reachable)', () => {
    test('the whole flow', () => undefined);
  });
}
