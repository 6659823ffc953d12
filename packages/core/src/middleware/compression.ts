import { pipeline, Readable } from 'node:stream';
import { brotliCompress, constants, createBrotliCompress, createDeflate, createGzip, deflate, gzip, type InputType } from 'node:zlib';
import type { FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import { featureOrder, type Feature, type RouteHooks } from '../features/feature.js';
import { listsWeakForm, weakEtag } from '../cache/etag.js';
import { appendVary } from './vary.js';

export interface CompressionOptions {
  /** Smallest body worth compressing, in bytes (default 1024). */
  threshold?: number;
  /** Encodings offered, in order of preference (default br, gzip, deflate). */
  encodings?: ReadonlyArray<'br' | 'gzip' | 'deflate'>;
}

type Encoding = 'br' | 'gzip' | 'deflate';

const compressible = /^(text\/(?!event-stream)|application\/(json|javascript|xml|[\w.+-]+\+(json|xml))|image\/svg\+xml)/i;
const brotliParams = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };

/** Picks the encoding the client accepts with the highest q, ties going to our preference. */
export function negotiateEncoding(header: string | undefined, offered: readonly Encoding[]): Encoding | null {
  if (!header) return null;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    if (name) q.set(name, Number.isFinite(value) ? value : 0);
  }
  let best: Encoding | null = null;
  let bestQ = 0;
  for (const encoding of offered) {
    const value = q.get(encoding) ?? q.get('*') ?? 0;
    if (value > bestQ) {
      best = encoding;
      bestQ = value;
    }
  }
  return best;
}

function compressBuffer(encoding: Encoding, input: InputType, done: (err: Error | null, out?: Buffer) => void): void {
  if (encoding === 'br') brotliCompress(input, brotliParams, done);
  else if (encoding === 'gzip') gzip(input, done);
  else deflate(input, done);
}

function compressStream(encoding: Encoding, input: Readable): Readable {
  const z = encoding === 'br' ? createBrotliCompress(brotliParams) : encoding === 'gzip' ? createGzip() : createDeflate();
  // pipeline, not pipe: when the client goes away fastify destroys `z`, and the source must be
  // destroyed with it (pipe would leave it running: an endless generator would never stop).
  // An error on either side destroys both; fastify sees it on `z`.
  return pipeline(input, z, noop);
}

function noop(): void {}

function markEncoded(reply: FastifyReply, encoding: Encoding): void {
  reply.header('content-encoding', encoding).removeHeader('content-length');
  // The compressed bytes are not the ones a strong ETag names: a cache or a Range request would
  // otherwise take the gzip body and the identity body for the same bytes.
  const etag = reply.getHeader('etag');
  if (typeof etag === 'string') reply.header('etag', weakEtag(etag));
}

/** gzip / br / deflate by `Accept-Encoding`, for compressible bodies above a size threshold. */
export class Compression implements Feature {
  readonly name = 'compression';
  readonly order = featureOrder.compression;
  readonly #threshold: number;
  readonly #offered: readonly Encoding[];

  constructor(options: CompressionOptions = {}) {
    this.#threshold = options.threshold ?? 1024;
    this.#offered = options.encodings ?? ['br', 'gzip', 'deflate'];
  }

  forRoute(): RouteHooks {
    return { onSend: this.#onSend };
  }

  readonly #onSend: onSendHookHandler = (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, value?: unknown) => void) => {
    reply.header('vary', appendVary(reply.getHeader('vary'), 'Accept-Encoding'));
    const status = reply.statusCode;
    if (status === 304) {
      // No body to compress, so no way to tell which variant the client holds but its own
      // If-None-Match: echo the weak form to one holding the compressed variant's ETag.
      const etag = reply.getHeader('etag');
      if (typeof etag === 'string' && listsWeakForm(request.headers['if-none-match'], etag)) reply.header('etag', weakEtag(etag));
      done(null, payload);
      return;
    }
    const type = String(reply.getHeader('content-type') ?? '');
    // A 206 is a byte range of the identity encoding (its Content-Range counts those bytes).
    if (payload == null || request.method === 'HEAD' || status === 204 || status === 206
      || reply.hasHeader('content-encoding') || !compressible.test(type)) {
      done(null, payload);
      return;
    }
    const encoding = negotiateEncoding(request.headers['accept-encoding'], this.#offered);
    if (encoding === null) {
      done(null, payload);
      return;
    }
    if (payload instanceof Readable) {
      markEncoded(reply, encoding);
      done(null, compressStream(encoding, payload));
      return;
    }
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) {
      done(null, payload);
      return;
    }
    if (Buffer.byteLength(payload) < this.#threshold) {
      done(null, payload);
      return;
    }
    compressBuffer(encoding, payload, (err, out) => {
      if (err) {
        done(err);
        return;
      }
      markEncoded(reply, encoding);
      done(null, out);
    });
  };
}
