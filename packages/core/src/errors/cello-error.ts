import { format } from 'node:util';
import { codes, type CelloErrorCode } from './codes.js';

/** An error raised by Cello itself (configuration, startup, programming mistakes), with a stable code. */
export class CelloError extends Error {
  readonly code: CelloErrorCode;
  /** The HTTP status when the error happens while serving a request; undefined for startup and configuration errors. */
  readonly status: number | undefined;

  constructor(code: CelloErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CelloError';
    this.code = code;
    const entry = codes[code] as { status?: number };
    this.status = entry.status;
  }
}

// Frames of Cello's own code (sources in the repository, or the installed package's dist).
const ownFrame = /[\\/](?:packages[\\/]core[\\/](?:src|dist)|@cello[\\/]core[\\/]dist)[\\/]|node:internal|[\\/]node_modules[\\/](?:tsyringe|reflect-metadata)[\\/]/;

/**
 * The stack of `site` (an Error captured where the user declared something) with Cello's own
 * frames left out, so a startup error's first frame is the user's decorator call.
 */
export function userFrames(site: Error): string[] {
  return (site.stack ?? '').split('\n').slice(1).filter((line) => line.trimStart().startsWith('at ') && !ownFrame.test(line));
}

export interface CelloErrorOptions {
  cause?: unknown;
  /** Where the user declared what is wrong (a decorator's captured Error): the stack points there. */
  site?: Error;
}

/** Builds a CelloError whose message is the registered template filled with `args`. */
export function celloError(code: CelloErrorCode, args: readonly unknown[] = [], options: CelloErrorOptions = {}): CelloError {
  const message = format(codes[code].message, ...args.map(String));
  const err = new CelloError(code, message, options.cause === undefined ? undefined : { cause: options.cause });
  if (options.site !== undefined) {
    const frames = userFrames(options.site);
    if (frames.length > 0) err.stack = `${err.name} [${code}]: ${message}\n${frames.join('\n')}`;
  }
  return err;
}
