import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { ErrorBody } from '../http/error-response.js';
import { statusText } from '../http/status-text.js';
import type { ServerLimits } from './server-limits.js';

type ClientError = Error & { code?: string };

function answer(status: number, message: string, code: string): string {
  const body: ErrorBody = { statusCode: status, error: statusText(status), message, code };
  const json = JSON.stringify(body);
  return `HTTP/1.1 ${status} ${statusText(status)}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(json)}\r\nconnection: close\r\n\r\n${json}`;
}

/**
 * Node's `clientError`: what goes wrong before a request reaches fastify (a request not received
 * within requestTimeout, headers over maxHeaderSize, bytes that are not HTTP). Node would answer
 * with a bare status line and fastify with its own body shape; these are Cello's JSON error shape
 * with a stable code. The answer is written only when nothing of a response has gone out on the
 * socket yet; then the socket closes either way.
 */
export function clientErrorHandler(limits: ServerLimits, log: () => FastifyBaseLogger): (err: ClientError, socket: Socket) => void {
  const timeout = answer(408, `The request was not received within ${limits.requestTimeoutMs / 1000} s (requestTimeout); send it faster or raise the limit`, 'CELLO_ERR_REQUEST_TIMEOUT');
  const headers = answer(431, `The request line and headers are larger than ${limits.maxHeaderSize} bytes (maxHeaderSize)`, 'CELLO_ERR_HEADERS_TOO_LARGE');
  const malformed = answer(400, 'The request is not valid HTTP', 'CELLO_ERR_MALFORMED_REQUEST');
  return (err, socket) => {
    // A reset connection has no one to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    let reply: string;
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') reply = timeout;
    else if (err.code === 'HPE_HEADER_OVERFLOW') reply = headers;
    else reply = malformed;
    // Abuse or a broken client, not the app's failure: kept out of the default log level.
    log().debug({ code: err.code }, `client error: ${err.message}`);
    const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || response?.headersSent === true) {
      socket.destroy();
      return;
    }
    // Closed as soon as the answer is flushed: waiting for the client to close its side would
    // let a client that never reads (slowloris) keep the socket.
    socket.end(reply, () => socket.destroy());
  };
}
