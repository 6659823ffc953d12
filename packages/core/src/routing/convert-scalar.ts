import { parseBoolean, parseDecimal } from '../validation/scalar.js';
import { validationFailed } from '../validation/validation-error.js';

function invalid(where: string, name: string, expected: string): never {
  throw validationFailed([{ path: name, messages: [`${where} parameter ${name} must be ${expected}`] }]);
}

/**
 * Converts one path, query or header value to the parameter's declared type, strictly:
 * `'false'` is false (not truthy), and `'0x10'`, `'1e999'` or `''` are not numbers.
 */
export function makeScalarConverter(type: unknown, where: string, name: string): ((value: unknown) => unknown) | null {
  if (type === Number) {
    return (value) => {
      if (value === undefined) return undefined;
      const s = Array.isArray(value) ? value[value.length - 1] : value;
      const n = typeof s === 'string' ? parseDecimal(s) : undefined;
      return n === undefined ? invalid(where, name, 'a number') : n;
    };
  }
  if (type === Boolean) {
    return (value) => {
      if (value === undefined) return undefined;
      const s = Array.isArray(value) ? value[value.length - 1] : value;
      const b = typeof s === 'string' ? parseBoolean(s) : undefined;
      return b === undefined ? invalid(where, name, 'true or false') : b;
    };
  }
  if (type === String) {
    // A repeated query key (`?q=a&q=b`) gives the last value, as most frameworks do.
    return (value) => (Array.isArray(value) ? value[value.length - 1] : value);
  }
  if (type === Array) {
    return (value) => (value === undefined || Array.isArray(value) ? value : [value]);
  }
  return null;
}

const jsonTypes = new Map<unknown, [string, string]>([[Number, ['number', 'a number']], [Boolean, ['boolean', 'true or false']], [String, ['string', 'a string']]]);

/** For one field of a JSON body: the declared scalar type must already match; nothing is converted. */
export function makeJsonTypeCheck(type: unknown, name: string): ((value: unknown) => unknown) | null {
  const expected = jsonTypes.get(type);
  if (expected === undefined) return null;
  const [typeofName, words] = expected;
  return (value) => {
    if (value === undefined || value === null) return value;
    if (typeof value !== typeofName || (typeofName === 'number' && !Number.isFinite(value))) return invalid('body', name, words);
    return value;
  };
}
