import type { GuardLike } from '../guards/guard.js';
import { addGuards } from '../metadata/guard-meta.js';
import { celloError } from '../errors/cello-error.js';

/**
 * Guards for every route of a controller (on the class) or for one route (on a method).
 * Class guards run before method guards, in the order written.
 *
 * @example
 * @Guards(Authenticated)
 * @Controller('/admin')
 * class AdminController {
 *   @Guards(new RoleGuard(['admin'])) @Delete('/{id}') remove() {}
 * }
 */
export function Guards(...guards: GuardLike[]): ClassDecorator & MethodDecorator {
  for (const g of guards) {
    const ok = typeof g === 'function' || (g !== null && typeof g === 'object' && typeof (g as { canActivate?: unknown }).canActivate === 'function');
    if (!ok) throw celloError('CELLO_ERR_GUARD_CONFIG', [`@Guards() takes guard instances or classes with canActivate(ctx); got ${String(g)}`]);
  }
  return ((target: object, propertyKey?: string | symbol) => {
    addGuards(target, propertyKey === undefined ? undefined : String(propertyKey), guards);
  }) as ClassDecorator & MethodDecorator;
}
