import { defineParam } from '../metadata/param-meta.js';
import type { Dependency, DependsOptions } from './dependency.js';
import { celloError } from '../errors/cello-error.js';

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
    throw celloError('CELLO_ERR_DEPENDS_INVALID', [fn === undefined ? 'undefined (is it imported before it is defined?)' : typeof fn], { site });
  }
  return (target, propertyKey, index) => {
    if (propertyKey === undefined) {
      throw celloError('CELLO_ERR_PARAM_DECORATOR_MISPLACED', ['Depends()', (target as Function).name, 'Inject services into the constructor by type or with @Inject(token).'], { site });
    }
    defineParam(target, String(propertyKey), { index, source: 'depends', token: fn, options: { ...options }, site });
  };
}
