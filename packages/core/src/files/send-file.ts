import type { SendOptions, SendResult } from '@fastify/send';
import type { FastifyReply } from 'fastify';
import { realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import type { Readable } from 'node:stream';
import { HttpError } from '../http/http-error.js';

/**
 * A file to answer with, resolved per request by @fastify/send: content type, Range (one range;
 * several ranges answer 200 with the whole file), ETag, Last-Modified and the conditional
 * headers (304, 412). `path` is URL-encoded and relative to `root`, as send wants it.
 */
export interface FileSource {
  readonly path: string;
  /** send's options, `root` among them (see `sendOptions` for a root that symlinks may not leave). */
  readonly options: SendOptions;
  /** A directory asked for without its trailing slash is redirected to `redirectTo` (static) or is a 404. */
  readonly redirectTo?: string;
  readonly notFound: string;
}

// Loaded on the first file answer: an app that serves no files never loads send and its mime table.
type SendModule = { default: (req: Readable, path: string, options?: SendOptions) => Promise<SendResult> };
let sendModule: Promise<SendModule> | undefined;

async function send(req: Readable, path: string, options: SendOptions): Promise<SendResult> {
  const mod = await (sendModule ??= import('@fastify/send') as Promise<SendModule>);
  return mod.default(req, path, options);
}

// Thrown from send's onFile hook; never leaves this file.
const outsideRoot = new Error('outside the static root');

function confined(real: string): SendOptions['onFile'] {
  const inside = real.endsWith(sep) ? real : real + sep;
  return async (path) => {
    const target = await realpath(path);
    if (!target.startsWith(inside)) throw outsideRoot;
  };
}

/**
 * send's options for files under `realRoot` (a real path): send refuses `..` but follows
 * symlinks, so a file whose real path leaves the root is refused here.
 */
export function confinedOptions(options: SendOptions, realRoot: string): SendOptions {
  return { ...options, root: realRoot, onFile: confined(realRoot) };
}

function errorFor(result: SendResult, source: FileSource): Error {
  switch (result.statusCode) {
    case 400:
      return HttpError.badRequest('The file path is malformed (bad encoding or a null byte)');
    case 412:
      return new HttpError(412, 'A precondition (If-Match or If-Unmodified-Since) does not hold for this file');
    case 416:
      return new HttpError(416, 'The requested range is outside the file', undefined, {
        headers: { 'content-range': String(result.headers['Content-Range']) },
      });
    case 403:
    case 404:
      // 403 is send's answer to `..`, a dotfile or a directory without an index: none of them is
      // there to be served, and saying which would tell a prober what exists.
      return HttpError.notFound(source.notFound);
    default:
      // EACCES and the like: a 500, logged with send's error.
      return result.type === 'error' ? result.metadata.error : new Error(`unexpected file answer ${result.statusCode}`);
  }
}

const replaceable = new Set(['content-type', 'cache-control', 'etag', 'last-modified']);

/**
 * Answers `reply` with the file: sets the status and send's headers (the handler's own
 * `content-type`, `cache-control`, `etag` and `last-modified` win) and resolves to the body
 * stream for fastify to pipe, with backpressure. Errors are HttpErrors (JSON answers).
 */
export async function sendFile(reply: FastifyReply, source: FileSource, headers: Record<string, unknown>): Promise<Readable | undefined> {
  let result: SendResult;
  try {
    result = await send(reply.request.raw, source.path, source.options);
  } catch (err) {
    if (err === outsideRoot || (err as NodeJS.ErrnoException)?.code === 'ENOENT') throw HttpError.notFound(source.notFound);
    throw err;
  }
  if (result.type !== 'file') {
    result.stream.destroy();
    if (result.type === 'directory' && source.redirectTo !== undefined) {
      reply.code(301).header('location', source.redirectTo);
      return undefined;
    }
    if (result.type === 'directory') throw HttpError.notFound(source.notFound);
    throw errorFor(result, source);
  }
  reply.code(result.statusCode);
  for (const name in headers) reply.header(name, headers[name]);
  const sent = result.headers as Record<string, string | number>;
  for (const name in sent) {
    const lower = name.toLowerCase();
    if (!replaceable.has(lower) || !reply.hasHeader(lower)) reply.header(lower, sent[name]);
  }
  if (result.statusCode === 304) {
    result.stream.destroy();
    return undefined;
  }
  // For HEAD, send's stream is empty: fastify's HEAD route drops it and keeps Content-Length
  // (an undefined body would be announced as 0 bytes).
  return result.stream;
}
