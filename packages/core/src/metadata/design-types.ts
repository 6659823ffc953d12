// The only file that reads TypeScript's emitted `design:*` metadata.

/**
 * Declared parameter types of a method (or of a constructor when `propertyKey` is undefined),
 * or `undefined` when the code was compiled without `emitDecoratorMetadata`.
 */
export function getParamTypes(target: object, propertyKey?: string): readonly unknown[] | undefined {
  return propertyKey === undefined
    ? (Reflect.getOwnMetadata('design:paramtypes', target) as unknown[] | undefined)
    : (Reflect.getOwnMetadata('design:paramtypes', target, propertyKey) as unknown[] | undefined);
}

/** The declared type of a property (`design:type`), own or inherited; undefined without metadata. */
export function getPropertyType(ctor: Function, property: string): unknown {
  return Reflect.getMetadata('design:type', ctor.prototype, property);
}

/** Whether `ctor` (or a base) has a `design:type` for `property`: some decorator is on it. */
export function hasPropertyType(ctor: Function, property: string): boolean {
  return Reflect.hasMetadata('design:type', ctor.prototype, property);
}
