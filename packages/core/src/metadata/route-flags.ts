import { classChain, prototypeChain } from './class-chain.js';
import { kRouteFlags } from './keys.js';

/** Per-route settings set by small decorators (@Public, @RateLimit, @Cache, ...), by name. */
export type RouteFlags = Record<string, unknown>;

export function setRouteFlag(target: object, propertyKey: string | undefined, name: string, value: unknown): void {
  const own = (propertyKey === undefined
    ? Reflect.getOwnMetadata(kRouteFlags, target)
    : Reflect.getOwnMetadata(kRouteFlags, target, propertyKey)) as RouteFlags | undefined;
  const next = { ...own, [name]: value };
  if (propertyKey === undefined) Reflect.defineMetadata(kRouteFlags, next, target);
  else Reflect.defineMetadata(kRouteFlags, next, target, propertyKey);
}

/**
 * The flags in force for a controller method: class flags of the base classes, then of the
 * class, then the method's own (from the nearest prototype declaring any), later ones winning.
 */
export function getRouteFlags(ctor: Function, propertyKey: string): RouteFlags {
  let flags: RouteFlags = {};
  for (const c of classChain(ctor).reverse()) flags = { ...flags, ...(Reflect.getOwnMetadata(kRouteFlags, c) as RouteFlags | undefined) };
  for (const proto of prototypeChain(ctor)) {
    const own = Reflect.getOwnMetadata(kRouteFlags, proto, propertyKey) as RouteFlags | undefined;
    if (own) return { ...flags, ...own };
  }
  return flags;
}
