import { featureOrder, type Feature, type RouteHooks } from '../features/feature.js';
import type { FastifyReply } from 'fastify';

/** Header name -> value, or `false` to leave that header out. */
export type SecurityHeadersOptions = Record<string, string | false>;

// The defaults of helmet, the de-facto standard, for an API that may also serve pages.
const defaults: Record<string, string> = {
  'content-security-policy': "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** Conservative security headers on every response, errors included. */
export class SecurityHeaders implements Feature {
  readonly name = 'securityHeaders';
  readonly order = featureOrder.securityHeaders;
  readonly #headers: Array<[string, string]>;

  constructor(options: SecurityHeadersOptions = {}) {
    const merged: Record<string, string | false> = { ...defaults };
    for (const [name, value] of Object.entries(options)) merged[name.toLowerCase()] = value;
    this.#headers = Object.entries(merged).filter((e): e is [string, string] => e[1] !== false);
  }

  forRoute(): RouteHooks {
    return {
      onRequest: (_request, reply, done) => {
        this.#apply(reply);
        done();
      },
    };
  }

  onUnmatched(_request: unknown, reply: FastifyReply): void {
    this.#apply(reply);
  }

  #apply(reply: FastifyReply): void {
    for (const [name, value] of this.#headers) reply.header(name, value);
  }
}
