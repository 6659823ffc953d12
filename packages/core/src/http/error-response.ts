import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';
import { statusText } from './status-text.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  details?: unknown;
}

function isClientError(err: unknown): err is FastifyError {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * The JSON body for anything thrown while serving a request. Only errors meant for the client
 * (HttpError, or fastify's own 4xx such as 413/415) show their message; anything else is a
 * generic 500, so no stack or internal text reaches the client.
 */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof HttpError) {
    const body: ErrorBody = { statusCode: err.statusCode, error: statusText(err.statusCode), message: err.message };
    if (err.code !== undefined) body.code = err.code;
    if (err.details !== undefined) body.details = err.details;
    return body;
  }
  if (isClientError(err)) {
    return { statusCode: err.statusCode!, error: statusText(err.statusCode!), message: err.message };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' };
}

/** fastify error handler: the JSON error shape, and a log line (with the request id) for 5xx. */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): ErrorBody {
  const body = toErrorBody(err);
  if (body.statusCode >= 500) {
    request.log.error({ err }, `${request.method} ${request.url} failed: ${(err as Error)?.message ?? String(err)}`);
  }
  if (err instanceof HttpError && err.headers) reply.headers(err.headers);
  reply.code(body.statusCode).type('application/json; charset=utf-8');
  return body;
}
