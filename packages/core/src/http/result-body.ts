import { Readable } from 'node:stream';
import { Response, type HeaderValue } from './response.js';

// How a handler's result goes on the wire, decided in one place: the live path hands it to
// fastify (send-result.ts), the cache turns it into the bytes it stores (cache-stage.ts), and
// both must agree on every rule here.

/** The content type of a plain (non-`Response`) result, as fastify sends it. */
export function plainContentType(value: unknown): string {
  if (typeof value === 'string') return 'text/plain; charset=utf-8';
  if (Buffer.isBuffer(value)) return 'application/octet-stream';
  return 'application/json; charset=utf-8';
}

/** Whether the result is "nothing": answered 204, or the route's own status with no body. */
export function isEmptyResult(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/**
 * The body of a `Response` as fastify should get it: for `Response.json`, a string (or null) is
 * still JSON and goes out with its quotes; anything else is serialized by fastify (or, for the
 * cache, by `json`).
 */
export function responseBody(res: Response): unknown {
  if (res.kind === 'json') return typeof res.body === 'string' || res.body === null ? JSON.stringify(res.body) : res.body;
  return res.body;
}

/** A result as the bytes a cache can store, or null for what is not stored (streams, empty bodies). */
export interface ResultBytes {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The bytes of a result; `keep(name)` filters a `Response`'s headers; a `Set-Cookie` makes the
 * result one client's, so it is not stored (null).
 */
export function resultBytes(value: unknown, status: number, json: (v: unknown) => string, keep: (header: string) => boolean): ResultBytes | null {
  if (value instanceof Response) {
    const headers: Record<string, string> = {};
    for (const [name, v] of Object.entries(value.headers) as Array<[string, HeaderValue]>) {
      if (name === 'set-cookie') return null;
      if (keep(name)) headers[name] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    const body = responseBody(value);
    if (typeof body === 'string') return { status: value.status, headers, body: Buffer.from(body) };
    if (Buffer.isBuffer(body)) return { status: value.status, headers, body };
    if (value.kind === 'json') return { status: value.status, headers, body: Buffer.from(json(body)) };
    return null;
  }
  if (isEmptyResult(value) || value instanceof Readable) return null;
  const body = typeof value === 'string' ? Buffer.from(value) : Buffer.isBuffer(value) ? value : Buffer.from(json(value));
  return { status, headers: { 'content-type': plainContentType(value) }, body };
}
