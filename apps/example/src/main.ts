import { createApp } from './app.js';

const app = createApp();
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

app.listen({ port, host }).then(
  (url) => app.log.info(`Cello example listening on ${url} (try ${url}/hello)`),
  (err: unknown) => {
    app.log.error({ err }, 'failed to start');
    process.exitCode = 1;
  },
);
