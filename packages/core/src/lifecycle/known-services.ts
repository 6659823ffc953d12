import type { DependencyContainer } from 'tsyringe';
import { isSingletonClass } from '../di/singleton-registry.js';
import { getParamTypes } from '../metadata/design-types.js';
import type { Constructor } from '../metadata/types.js';

// tsyringe records @inject(token) overrides of constructor parameters under this key.
const tsyringeInjectionTokens = 'injectionTokens';

function constructorDeps(ctor: Function): unknown[] {
  const types = [...(getParamTypes(ctor) ?? [])];
  const overrides = Reflect.getOwnMetadata(tsyringeInjectionTokens, ctor) as Record<number, unknown> | undefined;
  if (overrides) for (const [index, token] of Object.entries(overrides)) types[Number(index)] = token;
  return types;
}

/**
 * The app's lifecycle participants: the @Singleton() services reachable from the controllers'
 * constructors (dependencies before dependents), then the controller instances themselves.
 */
export function knownServices(controllers: ReadonlyMap<Constructor, object>, container: DependencyContainer): object[] {
  const seen = new Set<unknown>();
  const out: object[] = [];
  const visit = (token: unknown): void => {
    if (typeof token !== 'function' || seen.has(token)) return;
    seen.add(token);
    for (const dep of constructorDeps(token)) visit(dep);
    if (isSingletonClass(token)) out.push(container.resolve(token as Constructor) as object);
  };
  for (const ctor of controllers.keys()) for (const dep of constructorDeps(ctor)) visit(dep);
  const unique = [...new Set(out)];
  return [...unique, ...controllers.values()];
}
