import type { FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import './fastify-augment.js';

/**
 * The incoming request, as handlers see it. The body is read and parsed before the handler
 * runs, so `json()` and `text()` are synchronous.
 */
export class Request {
  /** The fastify request underneath. */
  readonly raw: FastifyRequest;
  #state: Record<string, unknown> | undefined;

  constructor(raw: FastifyRequest) {
    this.raw = raw;
  }

  get method(): string {
    return this.raw.method;
  }

  /** The URL as received: path and query string. */
  get url(): string {
    return this.raw.url;
  }

  /** The URL's path, without the query string. */
  get path(): string {
    const url = this.raw.url;
    const q = url.indexOf('?');
    return q === -1 ? url : url.slice(0, q);
  }

  get params(): Record<string, string> {
    return this.raw.params as Record<string, string>;
  }

  get query(): Record<string, string | string[] | undefined> {
    return this.raw.query as Record<string, string | string[] | undefined>;
  }

  /** Request headers; keys are lower-case. */
  get headers(): IncomingHttpHeaders {
    return this.raw.headers;
  }

  /** One header (case-insensitive); repeated headers are joined with ", ". */
  header(name: string): string | undefined;
  header(name: string, fallback: string): string;
  header(name: string, fallback?: string): string | undefined {
    const value = this.raw.headers[name.toLowerCase()];
    if (value === undefined) return fallback;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  /** The parsed body (JSON, form fields or text, by content type); undefined without a body. */
  get body(): unknown {
    return this.raw.body;
  }

  /** The parsed JSON body. */
  json<T = unknown>(): T {
    return this.raw.body as T;
  }

  /** The raw body as a string ('' without a body). */
  text(): string {
    const raw = this.raw.celloRawBody;
    if (raw !== undefined) return raw;
    const body = this.raw.body;
    return typeof body === 'string' ? body : '';
  }

  get ip(): string {
    return this.raw.ip;
  }

  /** The request id (from `x-request-id` when request ids are enabled, else generated). */
  get id(): string {
    return String(this.raw.id);
  }

  /** The verified JWT payload, set by `app.enableJwt()`; undefined without a valid token. */
  get user(): any {
    return this.raw.celloUser;
  }

  set user(value: unknown) {
    this.raw.celloUser = value;
  }

  /** A bag for this request's own data (shared with `ctx.state`). */
  get state(): Record<string, unknown> {
    return (this.#state ??= {});
  }
}
