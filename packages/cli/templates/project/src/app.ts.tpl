import { App, Config } from '@cello/core';
import { ItemsController } from './controllers/items.controller.js';

/**
 * Builds the app without listening: `main.ts` listens, the tests call `app.inject()`, and
 * `cello routes` reads the route table. `cello generate controller` adds to `controllers`.
 */
export function createApp(options: { logger?: boolean } = {}): App {
  // PORT, HOST, LOG_LEVEL, ... checked at once: a bad value stops here, naming the variable.
  const config = Config.fromEnv();
  const app = new App({
    ...config,
    controllers: [ItemsController],
    logger: options.logger,
  });
  app.get('/health', () => ({ status: 'ok' }));
  // /health/live, /health/ready (503 once shutdown begins) and /health/startup for probes;
  // add what readiness depends on, e.g. checks: { db: () => pool.query('select 1') }.
  app.enableHealthChecks({ checks: {} });
  return app;
}
