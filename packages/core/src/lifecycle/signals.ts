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
let firstSignal: { signal: NodeJS.Signals; at: number } | null = null;

/**
 * A signal sent to a process group (Ctrl-C in a terminal, systemd stopping a service) reaches
 * npm as well, and npm passes it on to its child: under `npm start` the app gets the same signal
 * two or three times within milliseconds. Those copies are one request to stop; only a signal
 * after this long is a second request, which forces the exit.
 */
const copiesWithinMs = 1000;

function forceExit(why: string): void {
  for (const client of shuttingDown ?? clients) {
    client.log.error({ code: 'CELLO_ERR_LIFECYCLE_FORCED_EXIT' }, `${why}; exiting with code 1. Still running: ${client.describePending()}`);
  }
  process.exit(1);
}

function onSignal(signal: NodeJS.Signals): void {
  if (shuttingDown !== null) {
    if (signal === firstSignal?.signal && performance.now() - firstSignal.at < copiesWithinMs) return;
    forceExit(`received ${signal} again during shutdown`);
    return;
  }
  firstSignal = { signal, at: performance.now() };
  shutDown([...clients], `received ${signal}, shutting down gracefully`, false);
}

/**
 * Closes `closing` gracefully and exits: 0 when every close was clean, else 1 (always 1 when
 * `failed`). A close that outlives the longest `timeoutMs` (plus a second) exits 1 at once.
 */
function shutDown(closing: SignalClient[], line: string, failed: boolean): void {
  shuttingDown = closing;
  for (const client of closing) client.log.info(line);
  const timeoutMs = Math.max(0, ...closing.map((c) => c.timeoutMs));
  const timer = setTimeout(() => forceExit(`shutdown took longer than ${timeoutMs} ms`), timeoutMs + 1000);
  timer.unref();
  Promise.all(closing.map((client) => client.close().catch((err: unknown) => {
    client.log.error({ err }, 'graceful shutdown failed');
    return false;
  }))).then((results) => process.exit(!failed && results.every(Boolean) ? 0 : 1));
}

/**
 * After an uncaught error: closes `closing` (and every app handling signals) gracefully, then
 * exits 1. During a shutdown already under way, a second failure exits 1 at once.
 */
export function shutDownAfterFailure(closing: readonly SignalClient[], why: string): void {
  if (shuttingDown !== null) {
    forceExit(`${why} during shutdown`);
    return;
  }
  shutDown([...new Set([...closing, ...clients])], `${why}: closing gracefully, then exiting with code 1`, true);
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
 * unclean shutdown (work cut at shutdownTimeout, a failed shutdown step); a second signal (not
 * a copy of the first, see `copiesWithinMs`), or
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
