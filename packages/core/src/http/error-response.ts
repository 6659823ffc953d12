import { errorCodes, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';
import { pathOnly } from './loggable-url.js';
import { statusText } from './status-text.js';
import { recordServerError } from '../tracing/tracing.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  details?: unknown;
}

const fastifyErrors = errorCodes as unknown as Record<string, new (...args: never[]) => Error>;

/**
 * fastify's own framework errors (413 body too large, 415, handler timeout, ...). Any error can
 * claim a `FST_` code, so the class decides: only fastify's own constructors are trusted.
 */
function isFastifyError(err: unknown): err is FastifyError {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('FST_')) return false;
  const ctor = Object.hasOwn(fastifyErrors, code) ? fastifyErrors[code] : undefined;
  return typeof ctor === 'function' && err instanceof ctor;
}

// fastify's client errors that have a Cello code, so every limit's answer carries a stable one.
const celloCodes: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'CELLO_ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'CELLO_ERR_BODY_LENGTH_MISMATCH',
};

function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : undefined;
}

function generic(status: number): ErrorBody {
  const text = statusText(status);
  return { statusCode: status, error: text, message: text };
}

/**
 * The JSON body for anything thrown while serving a request. Only errors meant for the client
 * show their message: HttpError (Cello's validation and parse errors are HttpErrors too) and
 * fastify's own 4xx framework errors. Anything else carrying a 4xx `statusCode` (a library's
 * error, an upstream's) keeps its status with that status's generic text, since its message was
 * never written for the client; everything else is a generic 500, so no stack or internal text
 * reaches the client.
 */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof HttpError) {
    const body: ErrorBody = { statusCode: err.statusCode, error: statusText(err.statusCode), message: err.message };
    if (err.code !== undefined) body.code = err.code;
    if (err.details !== undefined) body.details = err.details;
    return body;
  }
  const status = statusOf(err);
  if (status === undefined) return generic(500);
  if (isFastifyError(err)) {
    // A 5xx framework error (a handler timeout's 503) keeps its status; its text names routes and timings.
    if (status >= 500) return generic(status);
    const body: ErrorBody = { statusCode: status, error: statusText(status), message: err.message };
    const code = Object.hasOwn(celloCodes, err.code) ? celloCodes[err.code] : undefined;
    if (code !== undefined) body.code = code;
    return body;
  }
  return status < 500 ? generic(status) : generic(500);
}

/** fastify error handler: the JSON error shape, and a log line (with the request id) for 5xx. */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): ErrorBody {
  // A request that failed after its early stages (a body that does not parse once the guards
  // passed) never reaches its handler: its exchange ends here.
  request.celloExchange?.abandon(err);
  const body = toErrorBody(err);
  // The query may carry tokens: shown only as the access log's includeQuery says, redacted.
  const url = (request.celloLoggableUrl ?? pathOnly)(request.url);
  if (body.statusCode >= 500) {
    if (request.celloTrace !== undefined) recordServerError(request, err);
    request.log.error({ err }, `${request.method} ${url} failed: ${(err as Error)?.message ?? String(err)}`);
  } else if (!(err instanceof HttpError) && !isFastifyError(err)) {
    request.log.warn(
      { err },
      `${request.method} ${url} answered ${body.statusCode} without the error's own message (throw HttpError to send it): ${(err as Error)?.message ?? String(err)}`,
    );
  }
  if (err instanceof HttpError && err.headers) reply.headers(err.headers);
  reply.code(body.statusCode).type('application/json; charset=utf-8');
  return body;
}
