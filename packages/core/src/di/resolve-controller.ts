import type { DependencyContainer } from 'tsyringe';
import { CelloError, celloError } from '../errors/cello-error.js';
import type { Constructor } from '../metadata/types.js';
import { checkConstructorGraph } from './check-constructor-graph.js';

/** The app's one instance of a controller, with DI failures turned into a coded startup error. */
export function resolveController(container: DependencyContainer, ctor: Constructor): object {
  try {
    checkConstructorGraph(ctor, container);
    if (!container.isRegistered(ctor)) container.registerSingleton(ctor);
    return container.resolve(ctor) as object;
  } catch (err) {
    if (err instanceof CelloError) throw err;
    throw celloError('CELLO_ERR_DI_UNRESOLVED', [ctor.name, (err as Error).message], { cause: err });
  }
}
