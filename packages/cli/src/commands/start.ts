import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { loadFailure } from '../load-failure.js';

interface StartOptions {
  entry: string;
  workers?: string;
}

/** Read by `app.listen()` in @cello/core in place of its `workers` option. */
const workersEnv = 'CELLO_WORKERS';

export function startCommand(): Command {
  return new Command('start')
    .description('run the built app, optionally as several worker processes on one port')
    .option('--entry <file>', 'the built file that listens', 'dist/main.js')
    .option('--workers <n>', "worker processes: a number, or 'auto' for one per CPU (os.availableParallelism())")
    .addHelpText('after', `
The app runs in this process. With --workers, this process sets CELLO_WORKERS and the app's
listen() (@cello/core) turns it into the cluster primary: it forks that many workers running
the same command on one port, replaces a worker that dies, gives up with exit code 1 after 5
failed starts in a row, and on SIGTERM or SIGINT shuts every worker down gracefully.
The same works without cello: app.listen({ port, workers: 'auto' }).

Example:
  npm run build && PORT=8080 cello start --workers auto`)
    .action(async (options: StartOptions) => {
      const entry = resolve(process.cwd(), options.entry);
      if (options.workers !== undefined) checkWorkers(options.workers);
      if (!existsSync(entry)) {
        throw new CliError(`${options.entry} not found: build the project first (npm run build), or pass --entry <file>.`);
      }
      // The workers run this same command (cluster forks process.argv), so they see it too.
      if (options.workers !== undefined) process.env[workersEnv] = options.workers;
      try {
        await import(pathToFileURL(entry).href);
      } catch (err) {
        throw new CliError(loadFailure(options.entry, err));
      }
    });
}

function checkWorkers(value: string): void {
  if (value !== 'auto' && !/^[1-9][0-9]*$/.test(value)) throw new CliError(`--workers must be 'auto' or a positive whole number, not "${value}".`);
}
