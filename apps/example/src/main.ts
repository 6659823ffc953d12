import { createApp } from './app.js';

const app = createApp();
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

// SIGINT/SIGTERM close the app gracefully (Cello's default): requests and background tasks
// finish, then the shutdown hook closes the database.
app.listen({ port, host }).then(
  (url) => app.log.info(`Cello example listening on ${url} (try ${url}/hello, or POST ${url}/auth/token)`),
  (err: unknown) => {
    app.log.error({ err }, 'failed to start');
    process.exitCode = 1;
  },
);
