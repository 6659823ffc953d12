import type { Socket } from 'node:net';
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

/**
 * How an exchange learns that its client side is over: `listen` calls `onEnd` once. For HTTP
 * that is the raw response's `close` (sent, or the client went away first; fastify's
 * onResponse misses the second case); for a WebSocket, its socket's close; for an event
 * stream, the response's close and then the stream's own (its source's `finally` has run).
 */
export type EndSignal = (onEnd: () => void) => void;

// Bodies still producing when their response closes: an event stream whose source must finish
// its `finally` (which may use a dependency) before the request's cleanups run.
const producing = new WeakMap<ServerResponse, Readable>();

/** The request's end waits for `body` to close as well as `res` (set when an event stream is sent). */
export function holdEndFor(res: ServerResponse, body: Readable): void {
  producing.set(res, body);
}

function afterBody(res: ServerResponse, onEnd: () => void): void {
  const body = producing.get(res);
  if (body === undefined || body.closed) onEnd();
  else body.once('close', onEnd);
}

/** The end of an HTTP response. */
export function responseEnd(res: ServerResponse): EndSignal {
  return (onEnd) => {
    if (res.destroyed || res.writableFinished) afterBody(res, onEnd);
    else res.once('close', () => afterBody(res, onEnd));
  };
}

/** The end of a connection's socket (a WebSocket's, or an upgrade refused before the handshake). */
export function socketEnd(socket: Socket): EndSignal {
  return (onEnd) => {
    if (socket.destroyed) onEnd();
    else socket.once('close', onEnd);
  };
}
