import { tmpdir } from 'node:os';
import { celloError } from '../errors/cello-error.js';

/** Where uploaded files are kept while the request runs. */
export type UploadStorage = 'disk' | 'memory';

/** `new App({ multipart })`: limits for every multipart route (per request). */
export interface MultipartOptions {
  /** Largest file, in bytes (default 10 MiB); `@UploadedFile(name, { maxSize })` sets it per field. */
  fileSize?: number;
  /** Most files in one request (default 10). */
  files?: number;
  /** Most non-file fields in one request (default 100). */
  fields?: number;
  /** Largest non-file field value, in bytes (default 1 MiB). */
  fieldSize?: number;
  /** `'disk'` (default): each file streamed to a temp file (`file.path`); `'memory'`: `file.buffer`. */
  storage?: UploadStorage;
  /** Folder for temp files (default the OS's temp folder). They are removed after the request. */
  tmpDir?: string;
}

export type ResolvedMultipartOptions = Required<MultipartOptions>;

const MiB = 1024 * 1024;

/** Checks a byte size or count: a positive integer. */
export function checkLimit(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw celloError('CELLO_ERR_MULTIPART_CONFIG', [`${what} must be a positive integer, got ${String(value)}`]);
  }
  return value;
}

export function checkStorage(value: unknown, what: string): UploadStorage {
  if (value !== 'disk' && value !== 'memory') {
    throw celloError('CELLO_ERR_MULTIPART_CONFIG', [`${what} must be 'disk' or 'memory', got ${String(value)}`]);
  }
  return value;
}

/** The app's multipart limits with their defaults, checked when the App is made. */
export function resolveMultipartOptions(options: MultipartOptions = {}): ResolvedMultipartOptions {
  return {
    fileSize: checkLimit(options.fileSize ?? 10 * MiB, 'multipart.fileSize'),
    files: checkLimit(options.files ?? 10, 'multipart.files'),
    fields: checkLimit(options.fields ?? 100, 'multipart.fields'),
    fieldSize: checkLimit(options.fieldSize ?? MiB, 'multipart.fieldSize'),
    storage: checkStorage(options.storage ?? 'disk', 'multipart.storage'),
    tmpDir: options.tmpDir ?? tmpdir(),
  };
}
