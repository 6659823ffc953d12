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
