import { dtoClosure, dtoShape, type JsonSchema } from './dto-schema.js';
import { isDtoClass } from './is-dto.js';
import { celloError } from '../errors/cello-error.js';

// fast-json-stringify writes `{}` for an object schema without properties: a free-form
// object the DTO declares (@IsObject) goes out as it is instead.
function freeForm(schema: JsonSchema): JsonSchema {
  if (schema.type === 'object' && schema.properties === undefined && schema.additionalProperties === undefined) return { ...schema, additionalProperties: true };
  if (schema.type === 'array' && schema.items !== null && typeof schema.items === 'object' && !Array.isArray(schema.items)) return { ...schema, items: freeForm(schema.items) };
  return schema;
}

// A response DTO describes what may leave the server, not what must: serializing an object
// that lacks an optional-looking field should not turn a good answer into a 500, and a null
// stays null (fast-json-stringify would otherwise write "" or 0 or {} for it).
function withoutRequired(schema: JsonSchema): JsonSchema {
  const { required: _required, properties, ...rest } = schema;
  if (properties === undefined) return rest;
  const out: Record<string, JsonSchema> = {};
  for (const [name, prop] of Object.entries(properties as Record<string, JsonSchema>)) out[name] = { ...freeForm(prop), nullable: true };
  return { ...rest, properties: out };
}

/**
 * The JSON Schema for a route's `response` option: a DTO class, or `[Dto]` for an array of it.
 * Nested DTOs go under `definitions`. Returns null for no option; throws for a wrong one.
 */
export function responseSchema(response: unknown, owner: string): JsonSchema | null {
  if (response === undefined || response === null) return null;
  const isArray = Array.isArray(response);
  const type = isArray ? (response as unknown[])[0] : response;
  if (!isDtoClass(type) || (isArray && (response as unknown[]).length !== 1)) {
    throw celloError('CELLO_ERR_ROUTE_RESPONSE_INVALID', [owner]);
  }
  const definitions: Record<string, JsonSchema> = {};
  for (const shape of dtoClosure(type)) definitions[shape.type.name] = withoutRequired(shape.schema);
  const self = withoutRequired(dtoShape(type).schema);
  const root: JsonSchema = isArray ? { type: 'array', items: { $ref: `#/definitions/${type.name}` } } : self;
  return { ...root, definitions };
}
