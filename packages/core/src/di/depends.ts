import { defineParam } from '../metadata/param-meta.js';
import type { Dependency, DependsOptions } from './dependency.js';

/**
 * Binds a handler parameter to the value of dependency `fn`, resolved once per request.
 *
 * @example
 * @Get('/profile')
 * profile(@Depends(getCurrentUser) user: User) { return { name: user.name }; }
 */
export function Depends(fn: Dependency, options: DependsOptions = {}): ParameterDecorator {
  const site = new Error('@Depends declared here');
  if (typeof fn !== 'function') {
    throw new TypeError(`@Depends expects a function of the request context, got ${fn === undefined ? 'undefined (is it imported before it is defined?)' : typeof fn}`);
  }
  return (target, propertyKey, index) => {
    if (propertyKey === undefined) {
      throw new TypeError(`@Depends goes on a handler method's parameter, not on a constructor parameter (${(target as Function).name}); inject services with @Inject or by type`);
    }
    defineParam(target, String(propertyKey), { index, source: 'depends', token: fn, options: { ...options }, site });
  };
}
