import type { CacheOptions, InvalidateOptions } from '../cache/cache-options.js';
import { setRouteFlag } from '../metadata/route-flags.js';
import { celloError } from '../errors/cello-error.js';

/**
 * Caches a GET route's response (HEAD is answered from the same entry). A hit does not call the
 * handler; guards and authentication still run first.
 *
 * @example
 * @Get('/items') @Cache({ ttl: 120, tags: ['items'] })
 * listItems() { return { items: this.items.all() }; }
 */
export function Cache(options: CacheOptions): ClassDecorator & MethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    setRouteFlag(target, propertyKey === undefined ? undefined : String(propertyKey), 'cache', options);
  }) as ClassDecorator & MethodDecorator;
}

/** After a 2xx answer, and before it is sent, drops the cache entries carrying `tags`. */
export function InvalidateCache(options: InvalidateOptions): MethodDecorator {
  if (!options || !Array.isArray(options.tags) || options.tags.length === 0) throw celloError('CELLO_ERR_CACHE_CONFIG', ['@InvalidateCache({ tags }) needs at least one tag']);
  return (target, propertyKey) => {
    setRouteFlag(target, String(propertyKey), 'invalidateCache', [...options.tags]);
  };
}
