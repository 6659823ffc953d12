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
  const classes: Function[] = [];
  for (let c: unknown = ctor; typeof c === 'function' && c.prototype !== undefined && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    classes.unshift(c as Function);
  }
  let flags: RouteFlags = {};
  for (const c of classes) flags = { ...flags, ...(Reflect.getOwnMetadata(kRouteFlags, c) as RouteFlags | undefined) };
  for (let proto = ctor.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const own = Reflect.getOwnMetadata(kRouteFlags, proto, propertyKey) as RouteFlags | undefined;
    if (own) return { ...flags, ...own };
  }
  return flags;
}
