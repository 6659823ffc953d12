import type { DependencyContainer } from 'tsyringe';
import { celloError } from '../errors/cello-error.js';
import { getParamTypes } from '../metadata/design-types.js';
import { isSingletonClass } from './singleton-registry.js';

// tsyringe records @inject(token) on constructor parameters under this key.
const injectionTokensKey = 'injectionTokens';
const builtins = new Set<unknown>([Object, String, Number, Boolean, Array, Function, Symbol, BigInt, Promise]);

/**
 * Walks the constructor graph of `root` before tsyringe builds it, so that the usual mistakes
 * (no decorator metadata, an interface-typed parameter, a circular import) fail at startup
 * with the chain of classes and the fix, instead of tsyringe's terse "TypeInfo not known".
 */
export function checkConstructorGraph(root: Function, container: DependencyContainer): void {
  const visited = new Set<Function>();
  const active: Function[] = [];
  const visit = (ctor: Function, chain: readonly string[]): void => {
    const path = [...chain, ctor.name || 'anonymous class'];
    if (active.includes(ctor)) throw celloError('CELLO_ERR_DI_CYCLE', [path.join(' -> ')]);
    if (visited.has(ctor)) return;
    visited.add(ctor);
    active.push(ctor);
    const names = path.join(' -> ');
    const overrides = (Reflect.getOwnMetadata(injectionTokensKey, ctor) ?? {}) as Record<number, unknown>;
    const types = getParamTypes(ctor);
    const count = Math.max(ctor.length, types?.length ?? 0);
    for (let i = 0; i < count; i++) {
      if (i in overrides) continue;
      if (types === undefined) throw celloError('CELLO_ERR_DI_NO_METADATA', [names]);
      const type = types[i];
      if (type === undefined) throw celloError('CELLO_ERR_DI_UNDEFINED_PARAM', [names, i]);
      if (builtins.has(type)) {
        if (!container.isRegistered(type as never, true)) {
          throw celloError('CELLO_ERR_DI_INTERFACE_PARAM', [names, i, (type as Function).name]);
        }
        continue;
      }
      // A token the user registered (useValue, useFactory...) is theirs: do not look inside it.
      const userRegistered = container.isRegistered(type as never, true) && !isSingletonClass(type);
      if (typeof type === 'function' && !userRegistered) visit(type, path);
    }
    active.pop();
  };
  visit(root, []);
}
