import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parse as secureParse } from 'secure-json-parse';
import { parse as parseQueryString } from 'node:querystring';
import { jsonNestsDeeperThan, maxDepth, tooDeepError } from '../validation/depth.js';
import { HttpError } from './http-error.js';

type Done = (err: Error | null, body?: unknown) => void;

/**
 * Replaces fastify's JSON parser with one that keeps the raw text (for `req.text()`) and still
 * rejects `__proto__` / `constructor.prototype` keys (fastify's secure parser) and bodies nested
 * deeper than `maxDepth` (422), and adds urlencoded forms. Other content types answer 415.
 */
export function installBodyParsers(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');

  const parseJson = (request: FastifyRequest, text: string, done: Done): void => {
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
      done(HttpError.badRequest(poisoned ? 'Body contains a forbidden key (__proto__ or constructor.prototype)' : 'Body is not valid JSON'));
      return;
    }
    done(null, body);
  };
  for (const type of ['application/json', /^application\/[\w.+-]+\+json$/]) {
    fastify.addContentTypeParser(type as string, { parseAs: 'string' }, (req, body, done) => parseJson(req, body as unknown as string, done));
  }

  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    request.celloRawBody = body as unknown as string;
    // querystring.parse returns a null-prototype object, so `__proto__=x` is just a key.
    done(null, parseQueryString(body as unknown as string));
  });
}
