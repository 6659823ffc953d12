import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { getPropertyType } from '../metadata/design-types.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

// Per DTO class and property, read once per thread.
const classes = new WeakMap<Function, Map<string, Function | undefined>>();

// The class a property holds, as class-transformer would build it: @Type(), else the declared type.
function propertyClass(type: Function, key: string): Function | undefined {
  let known = classes.get(type);
  if (known === undefined) classes.set(type, (known = new Map()));
  if (known.has(key)) return known.get(key);
  const meta = defaultMetadataStorage.findTypeMetadata(type, key);
  const child: unknown = meta ? meta.typeFunction() : getPropertyType(type, key);
  const cls = typeof child === 'function' && child !== Object && child !== Array ? child : undefined;
  known.set(key, cls);
  return cls;
}

/**
 * A validated DTO crossed to the worker as its data (a structured clone keeps no prototype):
 * it gets its class back, and so do its nested DTOs (`@Type(() => Line)`), without running a
 * constructor or any @Transform again, so the handler sees what the main thread validated.
 */
export function restoreDto(value: unknown, type: Function): void {
  if (Array.isArray(value)) {
    for (const item of value) restoreDto(item, type);
    return;
  }
  if (!isPlainObject(value)) return;
  Object.setPrototypeOf(value, type.prototype);
  for (const key of Object.keys(value)) {
    const child = value[key];
    if (typeof child !== 'object' || child === null) continue;
    const cls = propertyClass(type, key);
    if (cls !== undefined) restoreDto(child, cls);
  }
}
