import { basename, dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { celloError } from '../errors/cello-error.js';
import { checkHeartbeat } from '../realtime/realtime-options.js';
import { SseStream } from '../realtime/sse-stream.js';

export type { SseEvent } from '../realtime/sse-format.js';
import type { FileSource } from '../files/send-file.js';

export type HeaderValue = string | number | readonly string[];
export type ResponseInit = number | { status?: number; headers?: Record<string, HeaderValue> };

/** Options of `Response.sse()`. */
export interface SseInit {
  status?: number;
  headers?: Record<string, HeaderValue>;
  /** Seconds without an event before a heartbeat comment, or `false` for none (default: the app's `sse.heartbeat`, 15). */
  heartbeat?: number | false;
}

type BodyKind = 'json' | 'raw' | 'empty' | 'file';

/** Options of `Response.file()`. */
export interface FileResponseOptions {
  headers?: Record<string, HeaderValue>;
  /** `Cache-Control: public, max-age=<maxAge>`, in seconds (default 0). */
  maxAge?: number;
  /** Adds `immutable` to Cache-Control (for file names that change with their content). */
  immutable?: boolean;
  /** Sends `Content-Disposition: attachment`, with this file name (`true`: the file's own name). */
  download?: boolean | string;
}

function contentDisposition(name: string): string {
  // The quoted form for old clients (ASCII only), the RFC 8187 form for the real name.
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function initOf(init: ResponseInit | undefined): { status?: number; headers?: Record<string, HeaderValue> } {
  return typeof init === 'number' ? { status: init } : (init ?? {});
}

function lowerKeys(headers: Record<string, HeaderValue> | undefined): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  if (headers) for (const key of Object.keys(headers)) out[key.toLowerCase()] = headers[key]!;
  return out;
}

function checkStatus(status: number): number {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw celloError('CELLO_ERR_RESPONSE_INVALID', [`status must be an integer from 100 to 599, got ${status}`]);
  }
  return status;
}

/**
 * A response with an explicit status, headers and body. Return one from a handler when a plain
 * value (200 JSON) is not what you want.
 *
 * @example
 * return Response.json({ order_id: id }, { status: 201, headers: { location: `/orders/${id}` } });
 */
export class Response {
  readonly status: number;
  /** Headers with lower-case names. */
  readonly headers: Record<string, HeaderValue>;
  /** The body: data to serialize as JSON (`kind === 'json'`), or a string, Buffer or stream. */
  readonly body: unknown;
  readonly kind: BodyKind;

  constructor(body: unknown, init?: ResponseInit, kind: BodyKind = body === undefined ? 'empty' : 'raw') {
    const { status = 200, headers } = initOf(init);
    this.status = checkStatus(status);
    this.headers = lowerKeys(headers);
    this.body = body;
    this.kind = kind;
  }

  /** `data` as JSON (`Response.json(data, 201)` or `{ status, headers }`). */
  static json(data: unknown, init?: ResponseInit): Response {
    const res = new Response(data, init, 'json');
    res.headers['content-type'] ??= JSON_TYPE;
    return res;
  }

  static text(text: string, init?: ResponseInit): Response {
    const res = new Response(String(text), init);
    res.headers['content-type'] ??= 'text/plain; charset=utf-8';
    return res;
  }

  static html(html: string, init?: ResponseInit): Response {
    const res = new Response(String(html), init);
    res.headers['content-type'] ??= 'text/html; charset=utf-8';
    return res;
  }

  /** A redirect to `url` (307 by default, which keeps the method; 301, 302, 303 and 308 also allowed). */
  static redirect(url: string, status = 307): Response {
    if (![301, 302, 303, 307, 308].includes(status)) {
      throw celloError('CELLO_ERR_RESPONSE_INVALID', [`a redirect status must be 301, 302, 303, 307 or 308, got ${status}`]);
    }
    return new Response(undefined, { status, headers: { location: url } });
  }

  static noContent(init?: { headers?: Record<string, HeaderValue> }): Response {
    return new Response(undefined, { status: 204, headers: init?.headers });
  }

  /**
   * Streams a Node Readable, a web ReadableStream or an async iterable of strings/Buffers,
   * with backpressure (default content type application/octet-stream).
   */
  static stream(source: Readable | ReadableStream | AsyncIterable<unknown>, init?: ResponseInit): Response {
    const body = source instanceof Readable || source instanceof ReadableStream
      ? source
      : Readable.from(source as AsyncIterable<unknown>, { objectMode: false });
    const res = new Response(body, init);
    res.headers['content-type'] ??= 'application/octet-stream';
    return res;
  }

  /**
   * The file at `path` (relative paths are from the working directory), streamed: content type
   * from its extension, `Range` (206, or 416 outside the file; a request for several ranges gets
   * the whole file with 200), `ETag` and `Last-Modified` with 304 for `If-None-Match` /
   * `If-Modified-Since` and 412 when `If-Match` / `If-Unmodified-Since` fail. A missing file is
   * a 404 JSON error.
   *
   * @example
   * return Response.file('/srv/reports/q3.pdf', { download: 'report-q3.pdf' });
   */
  static file(path: string, options: FileResponseOptions = {}): Response {
    if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
      throw celloError('CELLO_ERR_RESPONSE_INVALID', ['Response.file() takes a file path (a non-empty string without null bytes)']);
    }
    const full = resolve(path);
    const source: FileSource = {
      path: `/${encodeURIComponent(basename(full))}`,
      // The caller named this file: dotfiles are allowed and no index is looked up.
      options: {
        root: dirname(full), dotfiles: 'allow', index: false,
        maxAge: (options.maxAge ?? 0) * 1000, immutable: options.immutable ?? false,
      },
      notFound: 'File not found',
    };
    const res = new Response(source, { headers: options.headers }, 'file');
    if (options.download !== undefined && options.download !== false) {
      res.headers['content-disposition'] ??= contentDisposition(options.download === true ? basename(full) : options.download);
    }
    return res;
  }

  /**
   * Server-sent events: each item is an `SseEvent` (`{ event, id, data, retry }`) or a bare value
   * sent as `data` (JSON-encoded unless a string), written as soon as the iterable produces it.
   * The iterable is returned (an async generator's `finally` runs) when the client goes away.
   *
   * @example
   * return Response.sse(watchOrders(), { heartbeat: 30 });
   */
  static sse(events: AsyncIterable<unknown>, init: SseInit = {}): Response {
    if (events === null || typeof (events as Partial<AsyncIterable<unknown>>)?.[Symbol.asyncIterator] !== 'function') {
      throw celloError('CELLO_ERR_SSE_NOT_ITERABLE', ['Response.sse()', events === null ? 'null' : typeof events]);
    }
    const heartbeat = init.heartbeat === undefined ? undefined : checkHeartbeat(init.heartbeat, 'Response.sse()');
    const res = new Response(new SseStream(events, heartbeat), { status: init.status, headers: init.headers });
    res.headers['content-type'] ??= 'text/event-stream; charset=utf-8';
    res.headers['cache-control'] ??= 'no-cache';
    res.headers['x-accel-buffering'] ??= 'no';
    return res;
  }
}
