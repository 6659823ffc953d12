import { createApp } from './app.js';

// PORT, HOST (default 127.0.0.1), LOG_LEVEL, DATABASE_URL, REDIS_URL, ... are read and checked
// here, by Config.fromEnv(): a bad value stops startup with a message naming the variable.
const app = createApp();

// SIGINT/SIGTERM close the app gracefully (Cello's default): requests and background tasks
// finish, then the shutdown hook closes the database. listen() takes PORT and HOST from the app.
app.listen().then(
  (url) => app.log.info(`Cello example listening on ${url} (try ${url}/hello, or POST ${url}/auth/token)`),
  (err: unknown) => {
    app.log.error({ err }, 'failed to start');
    process.exitCode = 1;
  },
);
