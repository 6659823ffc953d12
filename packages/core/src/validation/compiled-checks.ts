import * as cv from 'class-validator';
import { ValidationTypes } from 'class-validator';

/**
 * The constraints checked without class-validator's pipeline: each is class-validator's own
 * exported function (the one its decorator's `validate` calls, a thin wrapper of validator.js),
 * bound once at startup to the decorator's constraints and called for that one property.
 * Names are class-validator's validator names (`ValidationMetadata.name`); the argument order is
 * the one each decorator passes (checked against class-validator 0.15's decorator sources).
 */
type Bind = (constraints: readonly any[]) => (value: unknown) => boolean;

const one = (fn: (value: any) => boolean): Bind => () => fn;
const withArg = (fn: (value: any, a: any) => boolean): Bind => (c) => { const a = c[0]; return (value) => fn(value, a); };
const withTwo = (fn: (value: any, a: any, b: any) => boolean): Bind => (c) => { const a = c[0]; const b = c[1]; return (value) => fn(value, a, b); };

// validator.js's isLength counts a character followed by U+FE0E/U+FE0F ("❤️"), and a surrogate
// pair, as one. A string with neither is as long as its UTF-16 length, so its range is tested
// here; any other string goes to class-validator's function. Same answers, without validator.js's
// two regex scans on every request.
function hasCombining(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0xd800 && c <= 0xdbff) || c === 0xfe0e || c === 0xfe0f) return true;
  }
  return false;
}

function lengthCheck(min: unknown, max: unknown, exact: (value: unknown) => boolean): (value: unknown) => boolean {
  if ((min !== undefined && typeof min !== 'number') || (max !== undefined && typeof max !== 'number')) return exact;
  const low = (min as number | undefined) || 0; // as validator.js reads it
  const high = max as number | undefined;
  return (value) => (typeof value !== 'string' || hasCombining(value)
    ? exact(value)
    : value.length >= low && (high === undefined || value.length <= high));
}

const compiled: Readonly<Record<string, Bind>> = {
  // presence and equality
  isNotEmpty: one(cv.isNotEmpty),
  isEmpty: one(cv.isEmpty),
  equals: withArg(cv.equals),
  notEquals: withArg(cv.notEquals),
  isNotIn: withArg(cv.isNotIn),
  // numbers whose options JSON Schema cannot say (maxDecimalPlaces, allowNaN...)
  isNumber: withArg(cv.isNumber),
  isDivisibleBy: withArg(cv.isDivisibleBy),
  // string length: validator.js counts a character followed by a variation selector (U+FE0E/F,
  // as in "❤️") as one, where JSON Schema's minLength/maxLength count two
  isLength: (c) => lengthCheck(c[0], c[1], withTwo(cv.length)(c)),
  minLength: (c) => lengthCheck(c[0], undefined, withArg(cv.minLength)(c)),
  maxLength: (c) => lengthCheck(0, c[0], withArg(cv.maxLength)(c)),
  // strings with a format (validator.js's rules, not ajv-formats')
  isEmail: withArg(cv.isEmail),
  isUuid: withArg(cv.isUUID),
  isDateString: withArg(cv.isDateString),
  isIso8601: withArg(cv.isISO8601),
  isRFC3339: one(cv.isRFC3339),
  matches: withTwo(cv.matches),
  isUrl: withArg(cv.isURL),
  isFqdn: withArg(cv.isFQDN),
  isIp: withArg(cv.isIP),
  isPort: one(cv.isPort),
  isAlpha: withArg(cv.isAlpha),
  isAlphanumeric: withArg(cv.isAlphanumeric),
  isAscii: one(cv.isAscii),
  isNumberString: withArg(cv.isNumberString),
  isBooleanString: one(cv.isBooleanString),
  isDecimal: withArg(cv.isDecimal),
  isLowercase: one(cv.isLowercase),
  isUppercase: one(cv.isUppercase),
  contains: withArg(cv.contains),
  notContains: withArg(cv.notContains),
  isHexColor: one(cv.isHexColor),
  isHexadecimal: one(cv.isHexadecimal),
  isBase64: withArg(cv.isBase64),
  isJwt: one(cv.isJWT),
  isJson: one(cv.isJSON),
  isMongoId: one(cv.isMongoId),
  isSemVer: one(cv.isSemVer),
  isLocale: one(cv.isLocale),
  isTimeZone: one(cv.isTimeZone),
  isCurrency: withArg(cv.isCurrency),
  isISO31661Alpha2: one(cv.isISO31661Alpha2),
  isISO31661Alpha3: one(cv.isISO31661Alpha3),
  isISO4217CurrencyCode: one(cv.isISO4217CurrencyCode),
  isPhoneNumber: withArg(cv.isPhoneNumber),
  isMobilePhone: withTwo(cv.isMobilePhone),
  isPostalCode: withArg(cv.isPostalCode),
  isStrongPassword: withArg(cv.isStrongPassword),
  isLatitude: one(cv.isLatitude),
  isLongitude: one(cv.isLongitude),
  isLatLong: one(cv.isLatLong),
  // Date properties: the factory has made the Date (or left what is not one) before checks run
  isDate: one(cv.isDate),
  minDate: withArg(cv.minDate),
  maxDate: withArg(cv.maxDate),
  // arrays and objects
  arrayNotEmpty: one(cv.arrayNotEmpty),
  arrayContains: withArg(cv.arrayContains),
  arrayNotContains: withArg(cv.arrayNotContains),
  isNotEmptyObject: withArg(cv.isNotEmptyObject),
};

/** The part of a class-validator ValidationMetadata read here. */
export interface CheckedMeta {
  type: string;
  name?: string;
  propertyName: string;
  constraints: any[];
  each?: boolean;
  validateIf?: unknown;
}

/**
 * class-validator's own function for this constraint, bound to its constraints, or undefined
 * when the constraint must go through the full pipeline. The fallback rule: `each: true`, a
 * per-constraint `validateIf`, @ValidateIf, @ValidatePromise, custom validators (@Validate,
 * registerDecorator, @ValidateBy) and any built-in validator not in the table above.
 */
export function compiledCheck(meta: CheckedMeta): ((value: unknown) => boolean) | undefined {
  if (meta.type !== ValidationTypes.CUSTOM_VALIDATION || meta.each || meta.validateIf !== undefined || meta.name === undefined) return undefined;
  const bind = Object.hasOwn(compiled, meta.name) ? compiled[meta.name] : undefined;
  return bind?.(meta.constraints ?? []);
}

/** One property's compiled constraints: all must pass, unless @IsOptional and null/undefined. */
export interface PropertyCheck {
  readonly key: string;
  readonly test: (value: unknown) => boolean;
}

function all(tests: readonly ((value: unknown) => boolean)[]): (value: unknown) => boolean {
  if (tests.length === 1) return tests[0]!;
  if (tests.length === 2) {
    const [a, b] = tests as [(value: unknown) => boolean, (value: unknown) => boolean];
    return (value) => a(value) && b(value);
  }
  return (value) => tests.every((t) => t(value));
}

/** One property's check, skipped on null and undefined when the property is @IsOptional (as class-validator does). */
export function propertyCheck(key: string, tests: readonly ((value: unknown) => boolean)[], optional: boolean): PropertyCheck {
  const every = all(tests);
  return { key, test: optional ? (value) => value === null || value === undefined || every(value) : every };
}

/** Whether every property of an instance passes its compiled checks. */
export function instanceChecker(checks: readonly PropertyCheck[]): ((instance: Record<string, unknown>) => boolean) | null {
  if (checks.length === 0) return null;
  if (checks.length === 1) {
    const { key, test } = checks[0]!;
    return (instance) => test(instance[key]);
  }
  return (instance) => {
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i]!;
      if (!check.test(instance[check.key])) return false;
    }
    return true;
  };
}
