import { Config, type AppOptions } from '@cello/core';

/** Everything the example reads from the environment, read once in `main.ts` or a test. */
export interface ExampleConfig {
  /** What `new App()` takes from the environment: PORT, HOST, LOG_LEVEL, SHUTDOWN_TIMEOUT, ... */
  server: AppOptions;
  /** PostgreSQL URL; without one the app runs on an embedded PGlite database. */
  databaseUrl: string | undefined;
  /** Where PGlite keeps its files; undefined keeps the database in memory (gone on restart). */
  pgliteDataDir: string | undefined;
  /** A schema for every table (created if missing), so several copies can share one database. */
  databaseSchema: string | undefined;
  /** HS256 key for the access tokens the app issues and verifies. */
  jwtSecret: string;
  /** Shared secret webhook senders sign their bodies with. */
  webhookSecret: string;
  /** Origins allowed by CORS; undefined allows any. */
  corsOrigins: string[] | undefined;
  /**
   * Redis URL: with one, rate limits and the response cache live in Redis (@cello/redis), so
   * every instance of the app shares them; without one, each process keeps its own in memory.
   */
  redisUrl: string | undefined;
  /** Prefix of the app's Redis keys (default `cello:`), so several apps can share one Redis. */
  redisPrefix: string | undefined;
}

// Dev defaults, so `npm start` works with nothing set. Both are public: never deploy with them.
// The JWT one is 32+ bytes because enableJwt refuses shorter HS256 secrets.
const devJwtSecret = 'cello-example-dev-secret-change-me-0123456789';
const devWebhookSecret = 'cello-example-webhook-secret';

/** The example's own variables, next to the ones every Cello app reads. */
const exampleVariables = {
  PGLITE_DATA_DIR: Config.string({ optional: true }),
  DATABASE_SCHEMA: Config.string({ optional: true }),
  JWT_SECRET: Config.string({ minLength: 32, default: devJwtSecret, secret: true }),
  WEBHOOK_SECRET: Config.string({ default: devWebhookSecret, secret: true }),
  CORS_ORIGINS: Config.custom('a comma-separated list of origins', { optional: true }, (text) => {
    const origins = text.split(',').map((o) => o.trim()).filter(Boolean);
    return origins.length > 0 ? origins : undefined;
  }),
  REDIS_PREFIX: Config.string({ optional: true }),
};

/** Reads and checks the environment; a bad variable stops startup with CELLO_ERR_CONFIG_INVALID naming it. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  // The example listens on loopback unless HOST says otherwise.
  const { extra, ...server } = Config.fromEnv({ env: { HOST: '127.0.0.1', ...env }, extra: exampleVariables });
  return {
    server,
    databaseUrl: server.databaseUrl,
    pgliteDataDir: extra.PGLITE_DATA_DIR,
    databaseSchema: extra.DATABASE_SCHEMA,
    jwtSecret: extra.JWT_SECRET,
    webhookSecret: extra.WEBHOOK_SECRET,
    corsOrigins: extra.CORS_ORIGINS,
    redisUrl: server.redisUrl,
    redisPrefix: extra.REDIS_PREFIX,
  };
}

/** The container token the configuration is registered under: `@Inject(kConfig) config: ExampleConfig`. */
export const kConfig = Symbol('cello-example.config');
