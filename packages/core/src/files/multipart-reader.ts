import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UploadedFile } from '../decorators/uploaded-file.js';
import { HttpError } from '../http/http-error.js';
import type { ResolvedMultipartOptions, UploadStorage } from './multipart-options.js';

/** What one route accepts, fixed at startup from its parameters and the app's options. */
export interface FormPlan {
  readonly options: ResolvedMultipartOptions;
  /** Largest file any field of this route may carry (busboy's limit). */
  readonly largestFile: number;
  /** Per field: its size limit, most files and storage; a field not named here is kept only when `keepAll`. */
  readonly fields: ReadonlyMap<string, { maxSize: number; maxCount: number; storage: UploadStorage }>;
  /** `@UploadedFiles()` with no name: every file is kept, with these limits (maxCount over all files). */
  readonly anyField: { maxSize: number; maxCount: number; storage: UploadStorage } | null;
}

/** A parsed multipart body: text fields and kept files. `discard()` removes its temp files. */
export class ParsedForm {
  /** Text fields; a repeated name gives an array. Null prototype: `__proto__` is just a name. */
  readonly fields: Record<string, unknown> = Object.create(null);
  readonly files: UploadedFile[] = [];
  readonly #temp: string[] = [];

  addField(name: string, value: unknown): void {
    const prev = this.fields[name];
    this.fields[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }

  /** A temp path, recorded before the file exists so a half-written one is removed too. */
  tempPath(dir: string): string {
    const path = join(dir, `cello-upload-${randomUUID()}`);
    this.#temp.push(path);
    return path;
  }

  async discard(): Promise<void> {
    await Promise.all(this.#temp.map((path) => rm(path, { force: true })));
  }
}

const MiB = 1024 * 1024;

function size(bytes: number): string {
  return bytes >= MiB && bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

function tooLarge(message: string): HttpError {
  return new HttpError(413, message);
}

// Counts the bytes of one file and fails once they pass its field's limit.
class SizeLimit extends Transform {
  bytes = 0;
  constructor(private readonly limit: number, private readonly field: string) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) done(tooLarge(`File field ${this.field} is larger than its limit of ${size(this.limit)}`));
    else done(null, chunk);
  }
}

const discardAll = () => new Writable({ write: (_chunk, _enc, done) => done() });

async function keepFile(part: MultipartFile, limit: number, storage: UploadStorage, form: ParsedForm, dir: string): Promise<UploadedFile> {
  const counter = new SizeLimit(limit, part.fieldname);
  const base = { fieldname: part.fieldname, filename: part.filename, mimetype: part.mimetype, encoding: part.encoding };
  if (storage === 'memory') {
    const chunks: Buffer[] = [];
    await pipeline(part.file, counter, new Writable({ write: (chunk: Buffer, _enc, done) => { chunks.push(chunk); done(); } }));
    checkTruncated(part, limit);
    const buffer = Buffer.concat(chunks);
    return { ...base, size: buffer.length, buffer, toBuffer: () => Promise.resolve(buffer) };
  }
  const path = form.tempPath(dir);
  await pipeline(part.file, counter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  checkTruncated(part, limit);
  return { ...base, size: counter.bytes, path, toBuffer: () => readFile(path) };
}

// busboy stops a file at the route's largest limit and marks it truncated.
function checkTruncated(part: MultipartFile, limit: number): void {
  if (part.file.truncated) throw tooLarge(`File field ${part.fieldname} is larger than its limit of ${size(limit)}`);
}

/** @fastify/multipart's and busboy's errors as the answers a client should get. */
function toHttpError(err: unknown, options: ResolvedMultipartOptions): unknown {
  if (err instanceof HttpError) return err;
  switch ((err as { code?: string } | null)?.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(`A file is larger than the limit of ${size(options.fileSize)} (multipart.fileSize)`);
    case 'FST_FILES_LIMIT':
      return tooLarge(`Too many files: at most ${options.files} per request (multipart.files)`);
    case 'FST_FIELDS_LIMIT':
      return tooLarge(`Too many fields: at most ${options.fields} per request (multipart.fields)`);
    case 'FST_PARTS_LIMIT':
      return tooLarge(`Too many parts: at most ${options.files + options.fields} per request`);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new HttpError(415, 'This route takes a multipart/form-data body');
    case 'FST_PROTO_VIOLATION':
      return HttpError.badRequest('A form field name is not allowed (__proto__, constructor, ...)');
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return HttpError.badRequest('A form field declared as application/json is not valid JSON');
    case 'FST_MP_PREMATURE_CLOSE':
      return HttpError.badRequest('The request ended before the multipart body was complete');
    default:
      // busboy's own words for a broken body ("Unexpected end of form", "Malformed part header").
      if (err instanceof Error && !('statusCode' in err)) return HttpError.badRequest(`Malformed multipart body: ${err.message}`);
      return err;
  }
}

/**
 * Reads the whole multipart body of `request` into `form`, streaming each kept file to a temp
 * file or memory as `plan` says; files no parameter asks for are read and dropped. Limits are
 * answered 413. On failure the caller still owns `form` (its temp files) and must discard it.
 */
export async function readMultipart(request: FastifyRequest, plan: FormPlan, form: ParsedForm): Promise<void> {
  const { options } = plan;
  const counts = new Map<string, number>();
  try {
    const parts: AsyncIterable<Multipart> = request.parts({
      limits: { fileSize: plan.largestFile, files: options.files, fields: options.fields, fieldSize: options.fieldSize, parts: options.files + options.fields },
    });
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.valueTruncated) throw tooLarge(`Form field ${part.fieldname} is larger than ${size(options.fieldSize)} (multipart.fieldSize)`);
        form.addField(part.fieldname, part.value);
        continue;
      }
      const named = plan.fields.get(part.fieldname);
      const field = named ?? plan.anyField;
      if (field === null) {
        await pipeline(part.file, discardAll());
        continue;
      }
      // A named field counts its own files; the catch-all counts every file it keeps.
      const key = named === undefined ? '' : part.fieldname;
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      if (count > field.maxCount) {
        throw tooLarge(named === undefined ? `Too many files: at most ${field.maxCount}` : `Too many files in field ${part.fieldname}: at most ${field.maxCount}`);
      }
      form.files.push(await keepFile(part, field.maxSize, field.storage, form, options.tmpDir));
    }
  } catch (err) {
    throw toHttpError(err, options);
  }
}
