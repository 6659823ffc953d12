import { format } from 'node:util';
import { codes, type CelloErrorCode } from './codes.js';

/** An error raised by Cello itself (configuration, startup, programming mistakes), with a stable code. */
export class CelloError extends Error {
  readonly code: CelloErrorCode;
  readonly status: number;

  constructor(code: CelloErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CelloError';
    this.code = code;
    this.status = codes[code].status;
  }
}

/** Builds a CelloError whose message is the registered template filled with `args`. */
export function celloError(code: CelloErrorCode, args: readonly unknown[] = [], cause?: unknown): CelloError {
  const message = format(codes[code].message, ...args.map(String));
  return new CelloError(code, message, cause === undefined ? undefined : { cause });
}
