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

/**
 * Runs `workers` copies of the entry on one port (node:cluster shares the listening socket),
 * replaces a worker that dies, and on SIGTERM/SIGINT asks every worker to shut down and exits
 * once they all have: 0 when they all exited cleanly, 1 otherwise.
 */
export function runPrimary(options: PrimaryOptions): void {
  cluster.setupPrimary({ exec: join(__dirname, '..', 'entry-host.js'), args: [] });
  const bornAt = new Map<Worker, number>();
  let shuttingDown = false;
  let failed = false;

  const fork = (): void => {
    const worker = cluster.fork({ CELLO_ENTRY: options.entry });
    bornAt.set(worker, Date.now());
    // A message to a worker that is dying fails with EPIPE; its 'exit' is what matters.
    worker.on('error', () => undefined);
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (bornAt.get(worker) ?? 0);
    bornAt.delete(worker);
    if (shuttingDown) {
      if (code !== 0) failed = true;
      if (bornAt.size === 0) process.exit(failed ? 1 : 0);
      return;
    }
    const delay = lived < quickDeathMs ? quickDeathMs : 0;
    log(`worker ${worker.process.pid} died (${signal ?? `code ${code}`}); starting another${delay ? ` in ${delay} ms` : ''}`);
    setTimeout(() => {
      if (!shuttingDown) fork();
    }, delay);
  });

  const shutdown = (signal: NodeJS.Signals): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${signal}: stopping ${bornAt.size} worker(s)`);
    if (bornAt.size === 0) process.exit(0);
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
