import { classChain, prototypeChain } from './class-chain.js';
import { kGuards } from './keys.js';

/** Guards declared with @Guards on a class (target = constructor) or a method (target = prototype). */
export function addGuards(target: object, propertyKey: string | undefined, guards: readonly unknown[]): void {
  const own = (propertyKey === undefined
    ? Reflect.getOwnMetadata(kGuards, target)
    : Reflect.getOwnMetadata(kGuards, target, propertyKey)) as unknown[] | undefined;
  // Decorators apply bottom-up; prepend so the written order is the run order.
  const list = [...guards, ...(own ?? [])];
  if (propertyKey === undefined) Reflect.defineMetadata(kGuards, list, target);
  else Reflect.defineMetadata(kGuards, list, target, propertyKey);
}

/** Class guards of a controller and its base classes, base first. */
export function getClassGuards(ctor: Function): unknown[] {
  return classChain(ctor).reverse().flatMap((c) => (Reflect.getOwnMetadata(kGuards, c) as unknown[] | undefined) ?? []);
}

/** Method guards from the nearest prototype that declares any for `propertyKey`. */
export function getMethodGuards(ctor: Function, propertyKey: string): unknown[] {
  for (const proto of prototypeChain(ctor)) {
    const own = Reflect.getOwnMetadata(kGuards, proto, propertyKey) as unknown[] | undefined;
    if (own) return own;
  }
  return [];
}
