import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { runPrimary } from '../cluster/primary.js';
import { stopWhenNpmParentExits } from '../stop-with-npm.js';

interface StartOptions {
  entry: string;
  workers?: string;
}

export function startCommand(): Command {
  return new Command('start')
    .description('run the built app, optionally as several worker processes on one port')
    .option('--entry <file>', 'the built file that listens', 'dist/main.js')
    .option('--workers <n>', "worker processes: a number, or 'auto' for one per CPU (os.availableParallelism())")
    .addHelpText('after', `
Without --workers the app runs in this process. With --workers, node:cluster runs that many
copies sharing the port; a worker that dies is replaced; a worker that fails to start is
retried with back-off, and after 5 failed starts in a row cello exits 1; SIGTERM or SIGINT
shuts every worker down gracefully and cello exits once they have all exited.

Example:
  npm run build && PORT=8080 cello start --workers auto`)
    .action(async (options: StartOptions) => {
      const entry = resolve(process.cwd(), options.entry);
      const workers = options.workers === undefined ? undefined : parseWorkers(options.workers);
      if (!existsSync(entry)) {
        throw new CliError(`${options.entry} not found: build the project first (npm run build), or pass --entry <file>.`);
      }
      stopWhenNpmParentExits();
      if (workers === undefined) await import(pathToFileURL(entry).href);
      else runPrimary({ entry, workers });
    });
}

function parseWorkers(value: string): number {
  if (value === 'auto') return availableParallelism();
  if (!/^[1-9][0-9]*$/.test(value)) throw new CliError(`--workers must be 'auto' or a positive whole number, not "${value}".`);
  return Number(value);
}
