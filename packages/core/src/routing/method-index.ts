import FindMyWay from 'find-my-way';
import type { HttpMethod } from '../http/methods.js';
import { httpMethods } from '../http/methods.js';

/**
 * Which methods a path is served with, for `405 Method Not Allowed` + `Allow` (fastify itself
 * answers 404 for a known path with another method). Only consulted on the not-found path.
 */
export class MethodIndex {
  readonly #router = FindMyWay({ ignoreTrailingSlash: true });
  readonly #methods = new Set<HttpMethod>();

  add(methods: readonly HttpMethod[], path: string): void {
    for (const method of methods) {
      this.#router.on(method, path, () => undefined);
      this.#methods.add(method);
      // fastify answers HEAD for every GET route.
      if (method === 'GET' && !this.#router.find('HEAD', path)) this.#router.on('HEAD', path, () => undefined);
    }
  }

  /** Methods served at `url`'s path, in a stable order; empty when the path is unknown. */
  allowed(url: string): HttpMethod[] {
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    return httpMethods.filter((m) => this.#router.find(m, path) !== null);
  }
}
