import { HttpError } from '../http/http-error.js';
import type { ThrownError } from './task.js';

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/** In the worker: the error as data (a structured clone of an Error keeps only its message). */
export function serializeError(err: unknown): ThrownError {
  const e = (typeof err === 'object' && err !== null ? err : new Error(String(err))) as Partial<HttpError> & Error;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  return {
    http: err instanceof HttpError,
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(err),
    stack: typeof e.stack === 'string' ? e.stack : undefined,
    status,
    code: typeof e.code === 'string' ? e.code : undefined,
    details: e.details !== undefined && cloneable(e.details) ? e.details : undefined,
    headers: e.headers !== undefined && cloneable(e.headers) ? e.headers : undefined,
  };
}

/**
 * On the main thread: the error rebuilt so it answers the client as the same throw on the main
 * thread would (an HttpError with its status, message, code, details and headers; anything else
 * a 500, or its 4xx `statusCode`, logged with the worker's stack).
 */
export function rebuildError(data: ThrownError): Error {
  const err = data.http && data.status !== undefined
    ? new HttpError(data.status, data.message, data.details, { code: data.code, headers: data.headers })
    : Object.assign(new Error(data.message), {
      ...(data.status === undefined ? {} : { statusCode: data.status }),
      ...(data.code === undefined ? {} : { code: data.code }),
    });
  err.name = data.name;
  if (data.stack !== undefined) err.stack = `${data.stack}\n    (thrown in an offload worker thread)`;
  return err;
}
