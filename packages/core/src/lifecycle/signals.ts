import type { FastifyBaseLogger } from 'fastify';

/**
 * SIGINT/SIGTERM: close gracefully and exit 0, or 1 when `close()` reports an unclean
 * shutdown (work cut at shutdownTimeout, a failed shutdown step); a second signal, or a close
 * that outlives `timeoutMs`, exits 1 with a line saying what was still running. Returns the remover.
 */
export function handleSignals(options: {
  /** Resolves true when everything finished and every shutdown step succeeded. */
  close: () => Promise<boolean>;
  describePending: () => string;
  timeoutMs: number;
  log: FastifyBaseLogger;
}): () => void {
  const { close, describePending, timeoutMs, log } = options;
  let closing = false;
  const forceExit = (why: string): void => {
    log.error({ code: 'CELLO_ERR_LIFECYCLE_FORCED_EXIT' }, `${why}; exiting with code 1. Still running: ${describePending()}`);
    process.exit(1);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      forceExit(`received ${signal} again during shutdown`);
      return;
    }
    closing = true;
    log.info(`received ${signal}, shutting down gracefully`);
    const timer = setTimeout(() => forceExit(`shutdown took longer than ${timeoutMs} ms`), timeoutMs + 1000);
    timer.unref();
    close().then(
      (clean) => process.exit(clean ? 0 : 1),
      (err) => {
        log.error({ err }, 'graceful shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
