import { describeFlow } from './support/flow';

// Always runs: PGlite is embedded, a fresh in-memory database per test run.
describeFlow('PGlite', { database: { databaseUrl: undefined, databaseSchema: undefined } });
