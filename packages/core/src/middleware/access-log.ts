import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import pino, { type DestinationStream, type LevelWithSilent } from 'pino';
import { featureOrder, type Feature, type RouteHooks } from '../features/feature.js';
import { pathOnly, redactingQuery, type LoggableUrl } from '../http/loggable-url.js';

export interface LoggingOptions {
  /** Level of successful requests' lines (4xx are `warn`, 5xx `error`); default `info`. */
  level?: 'trace' | 'debug' | 'info';
  /** Where lines go: a pino-compatible logger, or a stream for a new pino logger. Default: the app logger. */
  logger?: FastifyBaseLogger;
  stream?: DestinationStream;
  /**
   * Log the query string too (off by default: it may carry tokens or personal data). Values of
   * token-like parameters (`access_token`, `token`, `api_key`, `password`, `code`, ...; the
   * list is in the README) are still replaced by `[REDACTED]`.
   */
  includeQuery?: boolean;
  /** More query parameter names whose values are redacted when `includeQuery` is on (case-insensitive). */
  redactQuery?: readonly string[];
}

function isEnabled(log: FastifyBaseLogger): boolean {
  const level = (log as { level?: LevelWithSilent }).level;
  return typeof level === 'string' && level !== 'silent';
}

/**
 * One structured JSON line per request (method, path, status, duration, request id, user id).
 * Headers, cookies and bodies are never logged. Also logs requests the client abandoned.
 */
export class AccessLog implements Feature {
  readonly name = 'logging';
  readonly order = featureOrder.logging;
  readonly #log: FastifyBaseLogger | null;
  readonly #level: 'trace' | 'debug' | 'info';
  readonly #url: LoggableUrl;

  constructor(appLog: FastifyBaseLogger, options: LoggingOptions = {}) {
    this.#log = options.logger ?? (options.stream ? (pino({ level: options.level ?? 'info' }, options.stream) as unknown as FastifyBaseLogger) : null);
    if (this.#log === null && !isEnabled(appLog)) this.#log = pino({ level: options.level ?? 'info' }) as unknown as FastifyBaseLogger;
    this.#level = options.level ?? 'info';
    this.#url = options.includeQuery === true ? redactingQuery(options.redactQuery) : pathOnly;
  }

  forRoute(): RouteHooks {
    return {
      onRequest: (request, reply, done) => {
        this.#watch(request, reply);
        done();
      },
    };
  }

  onUnmatched(request: FastifyRequest, reply: FastifyReply): void {
    this.#watch(request, reply);
  }

  #watch(request: FastifyRequest, reply: FastifyReply): void {
    // 'close' fires for finished responses and for clients that went away first.
    // Timed here: fastify only records a start time when it has a logger of its own.
    const started = performance.now();
    request.celloLoggableUrl = this.#url;
    reply.raw.once('close', () => this.#write(request, reply, performance.now() - started));
  }

  #write(request: FastifyRequest, reply: FastifyReply, elapsedMs: number): void {
    const raw = reply.raw;
    // Aborted = closed before the server ended its answer. (Not !writableFinished: that also
    // waits for the socket to drain, which inject()'s socket never reports, so every injected
    // request would be logged as aborted.)
    const aborted = !raw.writableEnded;
    const status = raw.statusCode;
    const user = request.celloUser as { sub?: unknown } | undefined;
    const line: Record<string, unknown> = {
      method: request.method,
      path: this.#url(request.url),
      statusCode: status,
      durationMs: Math.round(elapsedMs * 100) / 100,
      ip: request.ip,
    };
    if (user?.sub !== undefined) line.userId = user.sub;
    if (aborted) line.aborted = true;
    const log = this.#log === null ? request.log : this.#log.child({ reqId: request.id });
    const level = status >= 500 ? 'error' : status >= 400 || aborted ? 'warn' : this.#level;
    log[level](line, 'request completed');
  }
}
