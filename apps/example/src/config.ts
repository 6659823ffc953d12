/** Everything the example reads from the environment, read once in `main.ts` or a test. */
export interface ExampleConfig {
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

function optional(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  return {
    databaseUrl: optional(env.DATABASE_URL),
    pgliteDataDir: optional(env.PGLITE_DATA_DIR),
    databaseSchema: optional(env.DATABASE_SCHEMA),
    jwtSecret: optional(env.JWT_SECRET) ?? devJwtSecret,
    webhookSecret: optional(env.WEBHOOK_SECRET) ?? devWebhookSecret,
    corsOrigins: optional(env.CORS_ORIGINS)?.split(',').map((o) => o.trim()),
    redisUrl: optional(env.REDIS_URL),
    redisPrefix: optional(env.REDIS_PREFIX),
  };
}

/** The container token the configuration is registered under: `@Inject(kConfig) config: ExampleConfig`. */
export const kConfig = Symbol('cello-example.config');
