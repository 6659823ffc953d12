import type { FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import { celloError } from '../errors/cello-error.js';
import type { RouteInfo } from '../routing/route-info.js';
import { featureOrder, type Feature, type RouteHooks } from '../features/feature.js';
import { appendVary } from './vary.js';

const keepVaryOrigin: onSendHookHandler = (_request, reply, payload, done) => {
  reply.header('vary', appendVary(reply.getHeader('vary'), 'Origin'));
  done(null, payload);
};

export interface CorsOptions {
  /** Allowed origins: `'*'` (default), exact origins, or a predicate. */
  origins?: '*' | readonly string[] | ((origin: string) => boolean);
  /** Allow cookies/Authorization on cross-origin requests (never with `'*'`). */
  credentials?: boolean;
  /** Methods announced to preflights (default: the methods the path serves). */
  methods?: readonly string[];
  /** Request headers allowed (default: whatever the preflight asks for). */
  allowedHeaders?: readonly string[];
  /** Response headers the browser may read. */
  exposedHeaders?: readonly string[];
  /** Seconds a browser may cache a preflight answer. */
  maxAge?: number;
}

/** CORS: headers on allowed cross-origin requests, preflight answers, nothing for others. */
export class Cors implements Feature {
  readonly name = 'cors';
  readonly order = featureOrder.cors;
  readonly #allow: (origin: string) => boolean;
  readonly #any: boolean;
  readonly #options: CorsOptions;

  constructor(options: CorsOptions = {}) {
    const origins = options.origins ?? '*';
    this.#any = origins === '*';
    if (this.#any && options.credentials) {
      throw celloError('CELLO_ERR_CORS_CONFIG', ['credentials: true cannot be combined with origins \'*\' (browsers refuse it); list the allowed origins']);
    }
    if (typeof origins === 'function') this.#allow = origins;
    else if (origins === '*') this.#allow = () => true;
    else if (Array.isArray(origins)) {
      const set = new Set(origins);
      this.#allow = (origin) => set.has(origin);
    } else {
      throw celloError('CELLO_ERR_CORS_CONFIG', ['origins must be \'*\', a list of origins or a function']);
    }
    this.#options = options;
  }

  forRoute(def: RouteInfo): RouteHooks {
    const servesOptions = def.methods.includes('OPTIONS');
    return {
      onRequest: (request, reply, done) => {
        if (servesOptions && this.#isPreflight(request)) {
          this.#preflight(request, reply, def.methods);
          return;
        }
        this.#actual(request, reply);
        done();
      },
      // The answer depends on Origin unless every origin gets `*`; a handler that sets its own
      // Vary replaces ours (reply.header() overwrites), so it is merged back in before sending.
      ...(this.#any ? {} : { onSend: keepVaryOrigin }),
    };
  }

  onUnmatched(request: FastifyRequest, reply: FastifyReply, allowed: readonly string[]): void {
    if (allowed.length > 0 && this.#isPreflight(request)) this.#preflight(request, reply, allowed);
    else this.#actual(request, reply);
  }

  #isPreflight(request: FastifyRequest): boolean {
    return request.method === 'OPTIONS' && request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined;
  }

  /** Sets the origin headers; false when the origin is not allowed. */
  #origin(request: FastifyRequest, reply: FastifyReply): boolean {
    const origin = request.headers.origin;
    if (!this.#any) reply.header('vary', appendVary(reply.getHeader('vary'), 'Origin'));
    if (origin === undefined || !this.#allow(origin)) return false;
    reply.header('access-control-allow-origin', this.#any ? '*' : origin);
    if (this.#options.credentials) reply.header('access-control-allow-credentials', 'true');
    return true;
  }

  #actual(request: FastifyRequest, reply: FastifyReply): void {
    if (this.#origin(request, reply) && this.#options.exposedHeaders?.length) {
      reply.header('access-control-expose-headers', this.#options.exposedHeaders.join(', '));
    }
  }

  #preflight(request: FastifyRequest, reply: FastifyReply, served: readonly string[]): void {
    if (this.#origin(request, reply)) {
      const o = this.#options;
      reply.header('access-control-allow-methods', (o.methods ?? served).join(', '));
      const asked = request.headers['access-control-request-headers'];
      const headers = o.allowedHeaders?.join(', ') ?? asked;
      if (headers) reply.header('access-control-allow-headers', headers);
      if (o.allowedHeaders === undefined && asked) reply.header('vary', appendVary(reply.getHeader('vary'), 'Access-Control-Request-Headers'));
      if (o.maxAge !== undefined) reply.header('access-control-max-age', String(o.maxAge));
    }
    reply.code(204).send();
  }
}
