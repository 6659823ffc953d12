import cluster, { type Worker } from 'node:cluster';
import { join } from 'node:path';
import { groupSignalGraceMs, type StopMessage } from '../stop-message.js';

export interface PrimaryOptions {
  /** Absolute path of the app entry each worker runs. */
  entry: string;
  workers: number;
}

/** A worker that dies sooner than this after its start is restarted after a pause, not at once. */
const quickDeathMs = 1000;
/** Workers that exit before listening, in a row, before the primary gives up. */
export const maxFailedStarts = 5;
/** The pause before the first retry of a failed start; it doubles with each failure. */
const firstRetryMs = 250;

/**
 * Runs `workers` copies of the entry on one port (node:cluster shares the listening socket),
 * replaces a worker that dies, and on SIGTERM/SIGINT asks every worker to shut down and exits
 * once they all have: 0 when they all exited cleanly, 1 otherwise. A worker that exits before
 * it listens is a failed start: retried with back-off, and after `maxFailedStarts` in a row
 * the primary stops the others and exits 1.
 */
export function runPrimary(options: PrimaryOptions): void {
  cluster.setupPrimary({ exec: join(__dirname, '..', 'entry-host.js'), args: [] });
  const bornAt = new Map<Worker, number>();
  const listening = new Set<Worker>();
  let shuttingDown = false;
  let failed = false;
  // Reset whenever a worker listens: a few failures here and there are deaths, not a broken start.
  let failedStarts = 0;

  const fork = (): void => {
    const worker = cluster.fork({ CELLO_ENTRY: options.entry });
    bornAt.set(worker, Date.now());
    // A message to a worker that is dying fails with EPIPE; its 'exit' is what matters.
    worker.on('error', () => undefined);
  };

  cluster.on('listening', (worker) => {
    listening.add(worker);
    failedStarts = 0;
  });

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (bornAt.get(worker) ?? 0);
    const served = listening.delete(worker);
    bornAt.delete(worker);
    if (shuttingDown) {
      if (code !== 0) failed = true;
      if (bornAt.size === 0) process.exit(failed ? 1 : 0);
      return;
    }
    const how = signal ?? `code ${code}`;
    if (!served) {
      failedStarts++;
      if (failedStarts >= maxFailedStarts) {
        log(`worker ${worker.process.pid} exited (${how}) before listening: the app failed to start ${failedStarts} times in a row; giving up. Its error is above; \`cello start\` without --workers runs it alone.`);
        failed = true;
        shutdown('SIGTERM');
        return;
      }
      const delay = firstRetryMs * 2 ** (failedStarts - 1);
      log(`worker ${worker.process.pid} exited (${how}) before listening (failed start ${failedStarts} of ${maxFailedStarts}); starting another in ${delay} ms`);
      setTimeout(() => {
        if (!shuttingDown) fork();
      }, delay);
      return;
    }
    const delay = lived < quickDeathMs ? quickDeathMs : 0;
    log(`worker ${worker.process.pid} died (${how}); starting another${delay ? ` in ${delay} ms` : ''}`);
    setTimeout(() => {
      if (!shuttingDown) fork();
    }, delay);
  });

  const shutdown = (signal: NodeJS.Signals): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${signal}: stopping ${bornAt.size} worker(s)`);
    if (bornAt.size === 0) process.exit(failed ? 1 : 0);
    // A message, not a signal: entry-host.js turns it into one unless the worker already got
    // the signal itself (Ctrl-C and systemd signal the whole process group).
    const stop: StopMessage = { cello: 'stop', signal, afterMs: groupSignalGraceMs };
    for (const worker of bornAt.keys()) {
      if (worker.isConnected()) worker.send(stop);
      else worker.process.kill(signal);
    }
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  log(`starting ${options.workers} worker(s) for ${options.entry}`);
  for (let i = 0; i < options.workers; i++) fork();
}

function log(message: string): void {
  process.stderr.write(`[cello start] ${message}\n`);
}
