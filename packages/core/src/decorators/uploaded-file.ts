import { celloError } from '../errors/cello-error.js';
import type { UploadStorage } from '../files/multipart-options.js';
import { defineParam } from '../metadata/param-meta.js';

/**
 * One uploaded file of a multipart/form-data request. Kept on disk (`path`, a temp file) or in
 * memory (`buffer`) as the app's or the parameter's `storage` says; a temp file is removed once
 * the request is over, whatever its outcome; move or copy it to keep it.
 */
export interface UploadedFile {
  /** The form field it came in. */
  readonly fieldname: string;
  /** The name the client gave it; a hint only, never a safe path. */
  readonly filename: string;
  /** The content type the client declared (not checked against the bytes). */
  readonly mimetype: string;
  readonly encoding: string;
  /** Size in bytes. */
  readonly size: number;
  /** The bytes, with `storage: 'memory'`. */
  readonly buffer?: Buffer;
  /** The temp file, with `storage: 'disk'` (the default). */
  readonly path?: string;
  /** The bytes, from memory or read from the temp file. */
  toBuffer(): Promise<Buffer>;
}

/** Options of `@UploadedFile(name, options)`. */
export interface UploadedFileOptions {
  /** Largest size of this field's file, in bytes (default: the app's `multipart.fileSize`); over it is 413. */
  maxSize?: number;
  /** A request without this file is a 422 (default true); `false` binds `undefined`. */
  required?: boolean;
  /** Where this field's file is kept (default: the app's `multipart.storage`). */
  storage?: UploadStorage;
}

/** Options of `@UploadedFiles(name, options)`. */
export interface UploadedFilesOptions {
  /** Largest size of each file, in bytes (default: the app's `multipart.fileSize`); over it is 413. */
  maxSize?: number;
  /** Most files in this field (default: the app's `multipart.files`); more is 413. */
  maxCount?: number;
  storage?: UploadStorage;
}

function uploadDecorator(source: 'file' | 'files', label: string, name: string | undefined, options: object): ParameterDecorator {
  const site = new Error(`${label} declared here`);
  return (target, propertyKey, index) => {
    if (propertyKey === undefined) {
      throw celloError('CELLO_ERR_PARAM_DECORATOR_MISPLACED', [label.slice(1), (target as Function).name, 'Take uploads in the route handler.'], { site });
    }
    defineParam(target, String(propertyKey), { index, source, name, options: { ...options }, site });
  };
}

/**
 * The file uploaded in field `name` of a multipart/form-data body.
 *
 * @example
 * \@Post('/avatar')
 * upload(@UploadedFile('avatar', { maxSize: 2 * 1024 * 1024 }) file: UploadedFile) {
 *   return { name: file.filename, size: file.size };
 * }
 */
export function UploadedFile(name: string, options: UploadedFileOptions = {}): ParameterDecorator {
  return uploadDecorator('file', `@UploadedFile('${name}')`, name, options);
}

/** Every file uploaded in field `name` (`UploadedFile[]`, maybe empty), or in any field when no name is given. */
export function UploadedFiles(name?: string, options: UploadedFilesOptions = {}): ParameterDecorator {
  return uploadDecorator('files', name === undefined ? '@UploadedFiles()' : `@UploadedFiles('${name}')`, name, options);
}
