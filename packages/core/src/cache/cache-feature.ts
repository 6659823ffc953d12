import { featureOrder, type Feature } from '../features/feature.js';
import type { ResponseCache } from './response-cache.js';

/**
 * The response cache as a feature. Its work per request is a stage of the compiled route (after
 * guards, so it needs no hook); here it closes its store with the app, and never stands in the
 * way of the fast path, which is its own.
 */
export class CacheFeature implements Feature {
  readonly name = 'cache';
  readonly order = featureOrder.cache;
  readonly #cache: ResponseCache;

  constructor(cache: ResponseCache) {
    this.#cache = cache;
  }

  forRoute(): null {
    return null;
  }

  allowsFastPath(): boolean {
    return true;
  }

  async onClose(): Promise<void> {
    await this.#cache.store.close?.();
  }
}
