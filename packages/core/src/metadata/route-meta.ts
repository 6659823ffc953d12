import { prototypeChain } from './class-chain.js';
import { kRoutes } from './keys.js';
import type { RouteMeta } from './types.js';

type OwnRoutes = Map<string, RouteMeta[]>;

function ownRoutes(proto: object): OwnRoutes | undefined {
  return Reflect.getOwnMetadata(kRoutes, proto) as OwnRoutes | undefined;
}

export function defineRoute(proto: object, meta: RouteMeta): void {
  let routes = ownRoutes(proto);
  if (!routes) {
    routes = new Map();
    Reflect.defineMetadata(kRoutes, routes, proto);
  }
  const list = routes.get(meta.propertyKey) ?? [];
  // Decorators apply bottom-up; unshift keeps the order they are written in.
  list.unshift(meta);
  routes.set(meta.propertyKey, list);
}

/**
 * Routes of a controller class including those inherited from its base classes.
 * A method redefined with its own route decorators replaces the base's routes for that method;
 * a method redefined without decorators keeps the base's routes and runs the new body.
 */
export function getRoutes(ctor: Function): RouteMeta[] {
  const merged = new Map<string, RouteMeta[]>();
  for (const proto of prototypeChain(ctor).reverse()) {
    const own = ownRoutes(proto);
    if (own) for (const [key, list] of own) merged.set(key, list);
  }
  return [...merged.values()].flat();
}
