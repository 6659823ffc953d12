// The one walker of class inheritance: decorators record metadata on the class or prototype
// they run on, and readers merge it along the chain.

/**
 * A class and its base classes, most derived first. Stops at the first value that is not a
 * class: under jest's VM contexts `Function.prototype` is not one object, so it cannot be the
 * sentinel alone.
 */
export function classChain(ctor: Function): Function[] {
  const out: Function[] = [];
  for (let c: unknown = ctor; typeof c === 'function' && c.prototype !== undefined && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    out.push(c as Function);
  }
  return out;
}

/** The prototypes of a class and its bases (where method metadata lives), most derived first. */
export function prototypeChain(ctor: Function): object[] {
  const out: object[] = [];
  for (let proto = ctor.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) out.push(proto);
  return out;
}
