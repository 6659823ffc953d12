import type { Context } from '@opentelemetry/api';
import type { Exchange } from '../exchange/exchange.js';
import type { LoggableUrl } from './loggable-url.js';

// Fields Cello keeps on fastify's request. They are declared with decorateRequest() so every
// request object has the same shape (V8 keeps one hidden class).
export const requestDecorations = {
  celloRawBody: undefined as string | undefined,
  celloUser: undefined as unknown,
  celloExchange: undefined as Exchange | undefined,
  /** Set by the access log, so every line about the request shows its URL the same way. */
  celloLoggableUrl: undefined as LoggableUrl | undefined,
  /** Set by tracing (when it records): the context holding the request's server span. */
  celloTrace: undefined as Context | undefined,
} as const;

declare module 'fastify' {
  interface FastifyRequest {
    celloRawBody: string | undefined;
    celloUser: unknown;
    /** The exchange made before the handler stage (routes whose guards run before the body is read). */
    celloExchange: Exchange | undefined;
    celloLoggableUrl: LoggableUrl | undefined;
    celloTrace: Context | undefined;
  }
}
