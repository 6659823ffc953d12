import type { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import type { RequestContext } from '../di/request-context.js';

/** Fields a feature adds to every log line written inside a request (tracing: `traceId`). */
export type LogFieldSource = (ctx: RequestContext) => Record<string, unknown> | undefined;

const chindings = pino.symbols.chindingsSym;

/**
 * The pino `mixin` of an app with the request context on: a line written inside a request
 * through any logger (`app.log`, a child of it) carries the request's `reqId`, so nobody passes
 * a request logger around. fastify's `request.log` is bound to `reqId` already; it is not
 * repeated there. `sources` is the seam for other per-request fields (the trace id).
 */
export class RequestLogFields {
  readonly #storage: AsyncLocalStorage<RequestContext>;
  readonly #sources: LogFieldSource[] = [];

  constructor(storage: AsyncLocalStorage<RequestContext>) {
    this.#storage = storage;
  }

  /** Adds a source of fields; enabling a feature twice adds its source once. */
  addOnce(source: LogFieldSource): void {
    if (!this.#sources.includes(source)) this.#sources.push(source);
  }

  /** pino calls it for every line; outside a request it only reads the storage. */
  readonly mixin = (_merge: object, _level: number, logger?: unknown): Record<string, unknown> => {
    const ctx = this.#storage.getStore();
    if (ctx === undefined) return {};
    // A request's own logger (fastify's request.log, a child of it) has its fields bound already.
    const bound = (logger as Record<symbol, string> | undefined)?.[chindings];
    if (bound !== undefined && bound.includes('"reqId"')) return {};
    const fields: Record<string, unknown> = { reqId: ctx.request.id };
    for (const source of this.#sources) Object.assign(fields, source(ctx));
    return fields;
  };
}
