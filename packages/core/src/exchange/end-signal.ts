import type { ServerResponse } from 'node:http';

/**
 * How an exchange learns that its client side is over: `listen` calls `onEnd` once. For HTTP
 * that is the raw response's `close` (sent, or the client went away first; fastify's
 * onResponse misses the second case); a WebSocket's close or an SSE stream's end fit the same
 * shape.
 */
export type EndSignal = (onEnd: () => void) => void;

/** The end of an HTTP response. */
export function responseEnd(res: ServerResponse): EndSignal {
  return (onEnd) => {
    if (res.destroyed || res.writableFinished) onEnd();
    else res.once('close', onEnd);
  };
}
