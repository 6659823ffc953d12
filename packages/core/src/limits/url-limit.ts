import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Feature, RouteHooks } from '../features/feature.js';
import { HttpError } from '../http/http-error.js';

function tooLong(max: number): HttpError {
  return new HttpError(414, `The URL is longer than ${max} characters (maxUrlLength)`, undefined, { code: 'CELLO_ERR_URL_TOO_LONG' });
}

/**
 * Answers 414 for a URL (path and query) over `maxUrlLength`, before the body is read. Node's
 * own limit on the request line is maxHeaderSize (431); this one is smaller, so a long query
 * string gets the status that names it. On by default: one length comparison per request.
 */
export class UrlLimit implements Feature {
  readonly name = 'urlLimit';
  // After the features that only set headers (request id, security headers, CORS), so the 414
  // carries them; before the ones that do work (rate limits, JWT).
  readonly order = 45;
  readonly #hooks: RouteHooks;

  constructor(readonly maxUrlLength: number) {
    const max = maxUrlLength;
    const onRequest: onRequestHookHandler = function celloUrlLimit(request, reply, done) {
      done(request.raw.url!.length > max ? tooLong(max) : undefined);
    };
    this.#hooks = { onRequest };
  }

  forRoute(): RouteHooks {
    return this.#hooks;
  }

  onUnmatched(request: FastifyRequest, reply: FastifyReply): void {
    if (request.raw.url!.length > this.maxUrlLength) reply.send(tooLong(this.maxUrlLength));
  }

  // A cached answer exists only for a URL that was once accepted.
  allowsFastPath(): boolean {
    return true;
  }
}
