import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { getPropertyType } from '../metadata/design-types.js';
import type { JsonSchema } from './dto-schema.js';

// A Date travels as an RFC 3339 date-time string (ISO 8601 with a time zone): that is what the
// schema, the OpenAPI document and the response serializer say, and the only text the request
// check turns into a Date. A string without a zone is refused rather than read in the server's
// local time.
const dateTime: JsonSchema = { type: 'string', format: 'date-time' };

/** The properties of a DTO declared as `Date` (or given `@Type(() => Date)`). */
export function dateProperties(type: Function, properties: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const property of properties) {
    const named = defaultMetadataStorage.findTypeMetadata(type, property)?.typeFunction();
    if (named === Date || (named === undefined && getPropertyType(type, property) === Date)) out.add(property);
  }
  return out;
}

/** Makes each date property of a schema a date-time string (whatever its decorators made of it). */
export function dateSchemas(schema: JsonSchema, dates: ReadonlySet<string>): void {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties === undefined) return;
  for (const name of dates) {
    const prop = properties[name];
    if (prop === undefined) continue; // no decorator: stripped like any undeclared property
    const { oneOf: _oneOf, anyOf: _anyOf, type: _type, format: _format, ...rest } = prop;
    properties[name] = { ...rest, ...dateTime };
  }
}

// RFC 3339's date-time, as ajv-formats checks it (whose calendar check then refuses 2024-02-30).
const rfc3339 = /^\d\d\d\d-[0-1]\d-[0-3]\dt(?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)$/i;

/**
 * A date-time string as a Date; anything else is left as it is for the validators to refuse
 * (`@IsDate()`: "must be a Date instance"), on the paths where no schema check ran first.
 */
export function toDate(value: unknown): unknown {
  return typeof value === 'string' && rfc3339.test(value) ? new Date(value) : value;
}
