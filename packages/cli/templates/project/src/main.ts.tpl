import { createApp } from './app.js';

const app = createApp();

// listen() uses PORT and HOST (read by Config.fromEnv() in app.ts) and runs the startup hooks
// first; on SIGINT/SIGTERM the app drains and exits by itself.
app.listen().then(
  (url) => app.log.info(`{{name}} listening on ${url} (try ${url}/items)`),
  (err: unknown) => {
    app.log.error({ err }, 'failed to start');
    process.exitCode = 1;
  },
);
