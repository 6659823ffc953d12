import { injectable } from 'tsyringe';
import { markSingleton } from '../di/singleton-registry.js';
import type { Constructor } from '../metadata/types.js';

/** A service with a new instance per resolution (tsyringe's `@injectable()`). */
export function Injectable(): ClassDecorator {
  return (target) => {
    injectable()(target as never);
  };
}

/** A service with one instance per App (not per process: two apps never share it). */
export function Singleton(): ClassDecorator {
  return (target) => {
    injectable()(target as never);
    markSingleton(target as unknown as Constructor);
  };
}
