import { createApp } from './app.js';

const app = createApp();
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

// listen() runs the startup hooks first; on SIGINT/SIGTERM the app drains and exits by itself.
app.listen({ port, host }).then(
  (url) => app.log.info(`{{name}} listening on ${url} (try ${url}/items)`),
  (err: unknown) => {
    app.log.error({ err }, 'failed to start');
    process.exitCode = 1;
  },
);
