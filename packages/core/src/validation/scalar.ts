// The one reading of strings as numbers and booleans, for path, query and header values,
// whether bound one by one (`@Query('page') page: number`) or through a DTO. Strict on purpose:
// `Number('')` is 0, `Number('0x10')` is 16 and `Number('1e999')` is Infinity, none of which a
// client meant as a number.

const decimal = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const integer = /^-?\d+$/;

/** A finite decimal number, or undefined. */
export function parseDecimal(s: string): number | undefined {
  if (!decimal.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** A finite whole number written without a fraction or exponent, or undefined. */
export function parseInteger(s: string): number | undefined {
  if (!integer.test(s)) return undefined;
  const n = Number(s); // 400 digits are Infinity
  return Number.isFinite(n) ? n : undefined;
}

/** `true`/`1` and `false`/`0` (so `'false'` is false, not a truthy string), or undefined. */
export function parseBoolean(s: string): boolean | undefined {
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  return undefined;
}
