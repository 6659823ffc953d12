import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { HttpError } from '../../http/http-error.js';
import type { RouteInfo } from '../../routing/route-info.js';
import { featureOrder, type Feature, type RouteHooks } from '../../features/feature.js';
import { verificationKey, type JwtOptions, type VerificationKey } from './options.js';
import { TokenCache } from './token-cache.js';

function invalid(message: string): HttpError {
  // RFC 6750: the challenge tells the client the token itself was the problem.
  return HttpError.unauthorized(message, undefined, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
}

function isFiniteOrAbsent(value: unknown): boolean {
  return value === undefined || Number.isFinite(value);
}

/**
 * JWT authentication as a per-route onRequest hook: a valid `Authorization: Bearer` token sets
 * `req.user`; an invalid one answers 401; no token goes on with no user (guards decide).
 */
export class JwtAuth implements Feature {
  readonly name = 'jwt';
  readonly order = featureOrder.jwt;
  readonly #key: VerificationKey;
  readonly #options: JwtOptions;
  readonly #requiredClaims: string[];
  readonly #cache: TokenCache;

  constructor(options: JwtOptions) {
    this.#key = verificationKey(options);
    this.#options = { ...options };
    this.#requiredClaims = options.requireExp === false ? [] : ['exp'];
    this.#cache = new TokenCache(options.cacheSize ?? 1000, options.clockTolerance ?? 0);
  }

  forRoute(def: RouteInfo): RouteHooks | null {
    return def.public ? null : { onRequest: this.#hook };
  }

  #token(request: FastifyRequest): string | undefined {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const space = header.indexOf(' ');
      if (space > 0 && header.slice(0, space).toLowerCase() === 'bearer') return header.slice(space + 1).trim();
      // `Bearer ` arrives as `Bearer` (HTTP trims header values): a missing token, not an anonymous request.
      if (header.toLowerCase() === 'bearer') return '';
      return undefined; // another scheme (Basic, ...) is not ours to judge
    }
    const param = this.#options.queryParameter;
    if (param !== undefined) {
      const value = (request.query as Record<string, unknown> | undefined)?.[param];
      if (typeof value === 'string') return value;
    }
    return undefined;
  }

  async #verify(token: string): Promise<JWTPayload> {
    const { algorithms, issuer, audience, clockTolerance } = this.#options;
    try {
      const requiredClaims = this.#requiredClaims;
      const { payload } = await jwtVerify(token, this.#key as Uint8Array, { algorithms, issuer, audience, clockTolerance, requiredClaims });
      // jose takes `"exp": 1e400` (JSON for Infinity) as a number: a token that never expires.
      if (!isFiniteOrAbsent(payload.exp) || !isFiniteOrAbsent(payload.nbf)) throw new Error('non-finite time claim');
      this.#cache.set(token, payload);
      return payload;
    } catch (err) {
      // Never echo the parser's text: it can describe the token's contents.
      throw invalid(err instanceof joseErrors.JWTExpired ? 'Token expired' : 'Invalid token');
    }
  }

  readonly #hook = (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void => {
    const token = this.#token(request);
    if (token === undefined) {
      done();
      return;
    }
    if (token.length === 0) {
      done(invalid('Invalid token'));
      return;
    }
    const cached = this.#cache.get(token, Date.now());
    if (cached !== undefined) {
      request.celloUser = cached;
      done();
      return;
    }
    this.#verify(token).then((payload) => {
      request.celloUser = payload;
      done();
    }, done);
  };
}
