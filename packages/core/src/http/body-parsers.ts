import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parse as secureParse } from 'secure-json-parse';
import { isUtf8 } from 'node:buffer';
import { parse as parseQueryString } from 'node:querystring';
import { jsonNestsDeeperThan, maxDepth, tooDeepError } from '../validation/depth.js';
import { HttpError } from './http-error.js';

type Done = (err: Error | null, body?: unknown) => void;

const forbiddenKey = 'Body contains a forbidden key (__proto__ or constructor.prototype)';

/**
 * The body as text, or undefined when its bytes are not UTF-8: decoding would replace them with
 * U+FFFD, and the handler would see (and maybe store) text the client never sent.
 */
function utf8Text(body: Buffer): string | undefined {
  return isUtf8(body) ? body.toString('utf8') : undefined;
}

const notUtf8 = (): HttpError => HttpError.badRequest('Body is not valid UTF-8');

/**
 * Replaces fastify's JSON parser with one that keeps the raw text (for `req.text()`) and still
 * rejects `__proto__` / `constructor.prototype` keys (fastify's secure parser) and bodies nested
 * deeper than `maxDepth` (422), and adds urlencoded forms. Both refuse bytes that are not UTF-8
 * (400). Other content types answer 415.
 */
export function installBodyParsers(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');

  const parseJson = (request: FastifyRequest, bytes: Buffer, done: Done): void => {
    const text = utf8Text(bytes);
    if (text === undefined) {
      done(notUtf8());
      return;
    }
    request.celloRawBody = text;
    if (text.length === 0) {
      done(null, undefined);
      return;
    }
    // Every route, not only DTO ones: a handler echoing a 10,000-level body would overflow the
    // serializer's stack (a 500), and the text is checked before the parser sees it.
    if (jsonNestsDeeperThan(text, maxDepth)) {
      done(tooDeepError('body'));
      return;
    }
    let body: unknown;
    try {
      body = secureParse(text, { protoAction: 'error', constructorAction: 'error' });
    } catch (err) {
      // secure-json-parse says "...forbidden prototype property" for __proto__ / constructor.prototype.
      const poisoned = /prototype/.test((err as Error).message);
      done(HttpError.badRequest(poisoned ? forbiddenKey : 'Body is not valid JSON'));
      return;
    }
    done(null, body);
  };
  for (const type of ['application/json', /^application\/[\w.+-]+\+json$/]) {
    fastify.addContentTypeParser(type as string, { parseAs: 'buffer' }, (req, body, done) => parseJson(req, body as Buffer, done));
  }

  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (request, body, done) => {
    const text = utf8Text(body as Buffer);
    if (text === undefined) {
      done(notUtf8());
      return;
    }
    request.celloRawBody = text;
    const form = parseQueryString(text);
    // querystring.parse returns a null-prototype object, so `__proto__=x` is an inert key here;
    // refused anyway, as in JSON: copied with Object.assign it would set the copy's prototype.
    if (Object.hasOwn(form, '__proto__')) {
      done(HttpError.badRequest(forbiddenKey));
      return;
    }
    done(null, form);
  });
}
