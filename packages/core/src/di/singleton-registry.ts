import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import type { Constructor } from '../metadata/types.js';

// Classes marked @Singleton(). tsyringe's own @singleton() registers in the global container,
// which would share one instance between every App in the process; instead each App registers
// these as singletons in its own child container.
const singletons = new Set<Constructor>();

export function markSingleton(target: Constructor): void {
  singletons.add(target);
}

export function isSingletonClass(target: unknown): boolean {
  return singletons.has(target as Constructor);
}

// The token under which the class itself is constructed (with tsyringe's constructor
// injection); the class token is a factory around it that reports each new instance.
const constructTokens = new WeakMap<Constructor, symbol>();

/**
 * Registers every @Singleton() class not yet registered on `container` as one instance per
 * container tree, calling `created` with each instance when it is first built, wherever the
 * resolution came from (a controller, a guard, a dependency during a request): that is how the
 * app gives lifecycle hooks to all of them.
 */
export function registerSingletons(container: DependencyContainer, created: (instance: object) => void): void {
  for (const cls of singletons) {
    if (container.isRegistered(cls)) continue;
    let token = constructTokens.get(cls);
    if (token === undefined) constructTokens.set(cls, (token = Symbol(`cello.singleton.${cls.name}`)));
    container.register(token, { useClass: cls });
    const construct = token;
    container.register(cls, {
      useFactory: instanceCachingFactory((c) => {
        const instance = c.resolve<object>(construct);
        created(instance);
        return instance;
      }),
    });
  }
}
