import type { JsonSchema } from './dto-schema.js';
import { parseBoolean, parseDecimal, parseInteger } from './scalar.js';


// An enum of mixed types (a numeric TypeScript enum accepts its names and its numbers): the
// string is the listed value it spells, a string one first.
function enumValue(value: string, values: readonly unknown[]): unknown {
  if (values.includes(value)) return value;
  const match = values.find((v) => (typeof v === 'number' || typeof v === 'boolean') && String(v) === value);
  return match === undefined ? value : match;
}

// Leaves a value it cannot convert as it is, so the schema check reports it as the wrong type.
function convertOne(value: unknown, type: unknown, values?: readonly unknown[]): unknown {
  if (typeof value !== 'string') return value;
  if (type === undefined && values !== undefined) return enumValue(value, values);
  // A value that does not read as the type stays the string, and fails the schema check.
  const converted = type === 'number' ? parseDecimal(value) : type === 'integer' ? parseInteger(value) : type === 'boolean' ? parseBoolean(value) : undefined;
  return converted === undefined ? value : converted;
}

/**
 * Query strings, path parameters and headers are strings; converts them to the types the DTO
 * declares, strictly: `'false'` is false, while `'0x10'`, `'1e999'`, `'NaN'` and `''` stay strings and
 * fail as not-a-number. Returns a new object; the request's own is left alone.
 */
export function convertStrings(input: Record<string, unknown>, schema: JsonSchema): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    // A query parser's null-prototype object may hold a `__proto__` key; assigned here, an
    // array value (`?__proto__=a&__proto__=b`) would become `out`'s prototype.
    if (key === '__proto__') continue;
    const value = input[key];
    const prop = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (prop === undefined) {
      out[key] = value;
      continue;
    }
    if (prop.type === 'array') {
      const list = Array.isArray(value) ? value : [value];
      out[key] = list.map((v) => convertOne(v, prop.items?.type, prop.items?.enum));
    } else {
      out[key] = convertOne(Array.isArray(value) ? value[value.length - 1] : value, prop.type, prop.enum);
    }
  }
  return out;
}
