import { App } from '@cello/core';
import { ItemsController } from './controllers/items.controller.js';

/**
 * Builds the app without listening: `main.ts` listens, the tests call `app.inject()`, and
 * `cello routes` reads the route table. `cello generate controller` adds to `controllers`.
 */
export function createApp(options: { logger?: boolean } = {}): App {
  const app = new App({
    controllers: [ItemsController],
    logger: options.logger,
  });
  app.get('/health', () => ({ status: 'ok' }));
  return app;
}
