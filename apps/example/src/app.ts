import { App, RateLimitConfig, type AppOptions, type LoggingOptions } from '@cello/core';
import { RedisCacheStore, RedisRateLimitStore } from '@cello/redis';
import { tokenAudience, tokenIssuer } from './auth/token-service.js';
import { configFromEnv, kConfig, type ExampleConfig } from './config.js';
import { AuthController } from './controllers/auth-controller.js';
import { HealthController } from './controllers/health-controller.js';
import { ItemsController } from './controllers/items-controller.js';
import { OrdersController } from './controllers/orders-controller.js';
import { ProfileController } from './controllers/profile-controller.js';
import { ReportsController } from './controllers/reports-controller.js';
import { UsersController } from './controllers/users-controller.js';
import { WebhooksController } from './controllers/webhooks-controller.js';
import { Database } from './db/database.js';

export interface CreateAppOptions {
  /** Defaults to the environment (`configFromEnv()`); tests pass their own database settings. */
  config?: ExampleConfig;
  logger?: AppOptions['logger'];
  /** Where the access log goes (default: the app's logger, or stdout when that is off). */
  accessLog?: LoggingOptions;
  handleSignals?: boolean;
}

/** Builds the example app; `main.ts` listens, tests inject. Nothing connects until it starts. */
export function createApp(options: CreateAppOptions = {}): App {
  const config = options.config ?? configFromEnv();
  const app = new App({
    ...config.server,
    controllers: [HealthController, AuthController, UsersController, ProfileController, ItemsController, OrdersController, ReportsController, WebhooksController],
    logger: options.logger,
    handleSignals: options.handleSignals,
    // POST /reports/forecast runs on this pool of worker threads (@Offload).
    offload: { minThreads: 1, maxThreads: 2, idleTimeout: 30 },
  });

  // Services inject `Database` and `@Inject(kConfig)`; registered here because both depend on
  // the configuration, which only exists at runtime.
  const database = new Database(config);
  app.container.register(kConfig, { useValue: config });
  app.container.register(Database, { useValue: database });
  app.state.db = database; // for tests and scripts that look at the data directly

  // Open the pool (or PGlite), migrate and seed before the first request; close after the last
  // one and after every queued background task (app.close() waits for those first).
  app.onEvent('startup', () => database.open(app.log));
  app.onEvent('shutdown', async () => {
    await database.close();
    app.log.info('database closed');
  });

  app.enableLogging(options.accessLog);
  app.enableCors(config.corsOrigins === undefined ? {} : { origins: config.corsOrigins });
  // With REDIS_URL, every instance behind a load balancer counts against one limit and shares
  // one cache (an invalidation on one is seen by all). The stores' clients close with the app.
  const redis = config.redisUrl === undefined ? undefined : { url: config.redisUrl, prefix: config.redisPrefix, log: app.log };
  const rateLimits = redis && new RedisRateLimitStore(redis);
  app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 300, window: 60 }), { store: rateLimits });
  if (redis) app.enableCache({ store: new RedisCacheStore(redis) });

  // /health/live, /health/ready (503 once close() begins, or while a check fails) and
  // /health/startup, for the load balancer or Kubernetes probes.
  app.enableHealthChecks({
    checks: {
      db: () => database.query('select 1'),
      ...(rateLimits ? { redis: () => rateLimits.client.ping() } : {}),
    },
    timeout: 2,
  });
  // Verifies the tokens POST /auth/token issues; routes that need a user say so with a guard.
  app.enableJwt({ secret: config.jwtSecret, algorithms: ['HS256'], issuer: tokenIssuer, audience: tokenAudience });
  app.enableDocs({ path: '/docs', title: 'Cello example shop', version: '0.1.0' });
  // Prometheus scrapes /metrics (keep it on the internal network); tracing records only when an
  // OpenTelemetry SDK is registered before the app starts (e.g. with `node --import` a setup file).
  app.enablePrometheus({ labels: { service: 'cello-example' } });
  app.enableTracing();

  // A functional route, as in the README's quick start.
  app.get('/hello', () => ({ message: 'Hello, World!' }), { public: true });
  return app;
}
