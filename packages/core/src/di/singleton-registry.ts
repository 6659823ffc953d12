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

export function singletonClasses(): Iterable<Constructor> {
  return singletons;
}
