import type { DependencyContainer } from 'tsyringe';
import { celloError } from '../errors/cello-error.js';
import type { Constructor } from '../metadata/types.js';

/** The app's one instance of a controller, with DI failures turned into a coded startup error. */
export function resolveController(container: DependencyContainer, ctor: Constructor): object {
  if (!container.isRegistered(ctor)) container.registerSingleton(ctor);
  try {
    return container.resolve(ctor) as object;
  } catch (err) {
    throw celloError('CELLO_ERR_DI_UNRESOLVED', [ctor.name, (err as Error).message], err);
  }
}
