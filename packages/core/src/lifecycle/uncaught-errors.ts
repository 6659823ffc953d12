import { shutDownAfterFailure, type SignalClient } from './signals.js';

export interface UncaughtClient extends SignalClient {
  /** The id of the request whose code failed, when the app can know it (request context storage). */
  requestId?: () => string | undefined;
}

const clients = new Set<UncaughtClient>();

function onFailure(kind: 'uncaught exception' | 'unhandled rejection'): (err: unknown) => void {
  return (err) => {
    for (const client of clients) {
      // Node runs these listeners in the async context of the failing code, so a request
      // context store still names the request.
      const requestId = client.requestId?.();
      client.log.fatal(
        { err, code: 'CELLO_ERR_LIFECYCLE_UNCAUGHT', ...(requestId === undefined ? {} : { reqId: requestId }) },
        `${kind}${requestId === undefined ? '' : ` in request ${requestId}`}: ${(err as Error | null)?.message ?? String(err)}`,
      );
    }
    shutDownAfterFailure([...clients], `after an ${kind}`);
  };
}

const onException = onFailure('uncaught exception');
const onRejection = onFailure('unhandled rejection');

/**
 * An uncaught exception or unhandled rejection while an app listens: logged (with the request
 * id where known), every app closes gracefully (up to its shutdownTimeout), and the process
 * exits 1. What threw may have left state half-changed, so the process does not go on serving;
 * what is in flight still gets its answer. Returns the remover.
 */
export function handleUncaughtErrors(client: UncaughtClient): () => void {
  if (clients.size === 0) {
    process.on('uncaughtException', onException);
    process.on('unhandledRejection', onRejection);
  }
  clients.add(client);
  return () => {
    clients.delete(client);
    // Kept while closing after a failure: a second one must still end the process.
    if (clients.size === 0) {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
    }
  };
}
