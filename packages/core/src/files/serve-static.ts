import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { celloError } from '../errors/cello-error.js';
import type { Request } from '../http/request.js';
import { Response } from '../http/response.js';
import { confinedOptions, type FileSource } from './send-file.js';

/** Options of `app.serveStatic(prefix, dir, options)`. */
export interface StaticOptions {
  /** `Cache-Control: public, max-age=<maxAge>`, in seconds (default 0: revalidate with ETag / Last-Modified). */
  maxAge?: number;
  /** Adds `immutable` to Cache-Control (for file names that carry a content hash). */
  immutable?: boolean;
  /** File(s) served for a folder's URL ending in `/` (default `'index.html'`; `false`: none, so a folder is a 404). */
  index?: string | readonly string[] | false;
  /** Files and folders starting with a dot: `'ignore'` (default, 404) or `'allow'`. */
  dotfiles?: 'ignore' | 'allow';
  /** Extensions tried for a path without one, e.g. `['html']` serves `/about` from `about.html`. */
  extensions?: readonly string[];
  /** Send `ETag` and answer `If-None-Match` (default true). */
  etag?: boolean;
  /** Send `Last-Modified` and answer `If-Modified-Since` (default true). */
  lastModified?: boolean;
}

/**
 * What `serveStatic` adds to the route table: GET routes for `prefix` (its index) and
 * `prefix/*`. The router ignores trailing slashes, so `/assets` and `/assets/` are the same.
 */
export interface StaticRoute {
  readonly paths: readonly string[];
  readonly name: string;
  readonly handler: (req: Request) => Response;
}

function isSeconds(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function checkOptions(options: StaticOptions, fail: (why: string) => never): void {
  if (options.maxAge !== undefined && !isSeconds(options.maxAge)) fail(`maxAge must be a number of seconds (0 or more), got ${String(options.maxAge)}`);
  const index = options.index;
  if (index !== undefined && index !== false && typeof index !== 'string'
    && !(Array.isArray(index) && index.every((i) => typeof i === 'string'))) {
    fail('index must be a file name, a list of file names or false');
  }
  if (options.dotfiles !== undefined && options.dotfiles !== 'ignore' && options.dotfiles !== 'allow') {
    fail(`dotfiles must be 'ignore' or 'allow', got ${String(options.dotfiles)}`);
  }
}

// The wildcard is decoded by the router; send decodes again, so it gets each segment re-encoded
// and sees exactly the name asked for (a file called `%41.txt` stays `%41.txt`). The router
// ignores a trailing slash, so it is taken from the URL: it is what asks for a folder's index.
function encodedPath(req: Request): string {
  const rest = (req.params['*'] ?? '').replace(/\/+$/, '');
  const path = `/${rest.split('/').map(encodeURIComponent).join('/')}`;
  return req.path.endsWith('/') && rest !== '' ? `${path}/` : path;
}

/**
 * The route that serves the files under `dir` at `prefix`: never a listing, never a file
 * outside `dir` (`..`, encoded `..`, absolute paths, null bytes and symlinks that lead out
 * are all refused). Checked now, so a typo in `dir` fails at startup.
 */
export function staticRoute(prefix: string, dir: string, options: StaticOptions): StaticRoute {
  const fail = (why: string): never => {
    throw celloError('CELLO_ERR_STATIC_INVALID', [JSON.stringify(prefix), JSON.stringify(dir), why]);
  };
  if (typeof prefix !== 'string' || !prefix.startsWith('/')) fail('the prefix must be a path starting with "/"');
  if (typeof dir !== 'string' || dir.length === 0) fail('dir must be a folder path');
  checkOptions(options, fail);
  let root = '';
  let isFolder = false;
  try {
    root = realpathSync(resolve(dir));
    isFolder = statSync(root).isDirectory();
  } catch (err) {
    fail(`${resolve(dir)} does not exist or cannot be read (${(err as { code?: string }).code ?? String(err)})`);
  }
  if (!isFolder) fail(`${root} is not a folder`);
  const index = options.index === undefined ? ['index.html'] : options.index === false ? false : [options.index].flat();
  const send = confinedOptions({
    maxAge: (options.maxAge ?? 0) * 1000,
    immutable: options.immutable ?? false,
    index,
    dotfiles: options.dotfiles ?? 'ignore',
    extensions: options.extensions ? [...options.extensions] : false,
    etag: options.etag ?? true,
    lastModified: options.lastModified ?? true,
  }, root);
  const base = prefix.replace(/\/+$/, '');
  return {
    paths: base === '' ? ['/*'] : [base, `${base}/*`],
    name: `serveStatic ${dir}`,
    handler(req) {
      const source: FileSource = {
        path: encodedPath(req),
        options: send,
        // A folder asked for without its slash: relative links inside its index need the slash.
        redirectTo: index === false ? undefined : `${req.path}/${req.url.slice(req.path.length)}`,
        notFound: 'Not found',
      };
      return new Response(source, undefined, 'file');
    },
  };
}
