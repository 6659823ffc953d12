import type { FastifyBaseLogger } from 'fastify';

export interface SignalClient {
  /** Resolves true when everything finished and every shutdown step succeeded. */
  close: () => Promise<boolean>;
  describePending: () => string;
  timeoutMs: number;
  log: FastifyBaseLogger;
}

// One pair of process listeners for every listening app: a listener per app would pass
// Node's limit of ten (MaxListenersExceededWarning) and each would exit on its own schedule.
const clients = new Set<SignalClient>();
let shuttingDown: SignalClient[] | null = null;

function forceExit(why: string): void {
  for (const client of shuttingDown ?? clients) {
    client.log.error({ code: 'CELLO_ERR_LIFECYCLE_FORCED_EXIT' }, `${why}; exiting with code 1. Still running: ${client.describePending()}`);
  }
  process.exit(1);
}

function onSignal(signal: NodeJS.Signals): void {
  if (shuttingDown !== null) {
    forceExit(`received ${signal} again during shutdown`);
    return;
  }
  const closing = [...clients];
  shuttingDown = closing;
  for (const client of closing) client.log.info(`received ${signal}, shutting down gracefully`);
  const timeoutMs = Math.max(...closing.map((c) => c.timeoutMs));
  const timer = setTimeout(() => forceExit(`shutdown took longer than ${timeoutMs} ms`), timeoutMs + 1000);
  timer.unref();
  Promise.all(closing.map((client) => client.close().catch((err: unknown) => {
    client.log.error({ err }, 'graceful shutdown failed');
    return false;
  }))).then((results) => process.exit(results.every(Boolean) ? 0 : 1));
}

/**
 * Starts the shutdown a signal would, unless one is already under way: a cluster worker gets a
 * stop request from the primary that may follow the group's own signal, which must not count as
 * the second signal that forces the exit. False when no listening app here handles signals.
 */
export function requestShutdown(signal: NodeJS.Signals): boolean {
  if (shuttingDown !== null) return true;
  if (clients.size === 0) return false;
  onSignal(signal);
  return true;
}

/**
 * SIGINT/SIGTERM: close every registered app gracefully and exit 0, or 1 when one reports an
 * unclean shutdown (work cut at shutdownTimeout, a failed shutdown step); a second signal, or
 * a close that outlives the longest `timeoutMs`, exits 1 with a line saying what was still
 * running. Returns the remover.
 */
export function handleSignals(client: SignalClient): () => void {
  if (clients.size === 0 && shuttingDown === null) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  clients.add(client);
  return () => {
    clients.delete(client);
    // During a signal-driven shutdown the listeners stay: a second signal must still force the exit.
    if (clients.size === 0 && shuttingDown === null) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  };
}
