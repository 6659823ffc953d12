import { statusText } from './status-text.js';
import { celloError } from '../errors/cello-error.js';

export interface HttpErrorOptions {
  /** A stable, machine-readable code sent in the body as `code`. */
  code?: string;
  /** Headers sent with the error response (e.g. `WWW-Authenticate`, `Retry-After`). */
  headers?: Record<string, string>;
  cause?: unknown;
}

type Helper = (message?: string, details?: unknown, options?: HttpErrorOptions) => HttpError;

function helper(status: number): Helper {
  return (message, details, options) => new HttpError(status, message, details, options);
}

/**
 * An error that becomes an HTTP response: `{ statusCode, error, message, details? }`.
 *
 * @example
 * throw HttpError.notFound('User not found');
 * throw new HttpError(409, 'Email taken', { field: 'email' });
 */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly details: unknown;
  readonly code: string | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, message?: string, details?: unknown, options: HttpErrorOptions = {}) {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw celloError('CELLO_ERR_HTTP_ERROR_STATUS', [status]);
    }
    super(message ?? statusText(status), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.statusCode = status;
    this.details = details;
    this.code = options.code;
    this.headers = options.headers;
  }

  /** Same as `statusCode`. */
  get status(): number {
    return this.statusCode;
  }

  static badRequest = helper(400);
  static unauthorized = helper(401);
  static paymentRequired = helper(402);
  static forbidden = helper(403);
  static notFound = helper(404);
  static methodNotAllowed = helper(405);
  static notAcceptable = helper(406);
  static requestTimeout = helper(408);
  static conflict = helper(409);
  static gone = helper(410);
  static preconditionFailed = helper(412);
  static payloadTooLarge = helper(413);
  static unsupportedMediaType = helper(415);
  static unprocessableEntity = helper(422);
  static tooManyRequests = helper(429);
  static internal = helper(500);
  static notImplemented = helper(501);
  static badGateway = helper(502);
  static serviceUnavailable = helper(503);
  static gatewayTimeout = helper(504);
}
