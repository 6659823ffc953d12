import { HttpError } from '../../http/http-error.js';
import { compileDtoValidator, type DtoSource } from '../../validation/dto-validator.js';
import { dtoShape, type JsonSchema } from '../../validation/dto-schema.js';
import { makeJsonTypeCheck, makeScalarConverter } from '../convert-scalar.js';
import type { ParamDefinition } from '../route-table.js';
import type { ParamKind } from '../route-info.js';
import type { Binder, BinderPlan, ParamKindSpec } from './param-kind.js';

type Part = 'body' | 'query' | 'params' | 'headers';
type Where = 'body' | 'query' | 'path' | 'header';

/** The schema of a scalar parameter, as routing/convert-scalar.ts converts it. */
export function scalarSchema(type: unknown): JsonSchema {
  if (type === Number) return { type: 'number' };
  if (type === Boolean) return { type: 'boolean' };
  if (type === Array) return { type: 'array', items: { type: 'string' } };
  return { type: 'string' };
}

function dtoBinder(p: ParamDefinition, part: Part): BinderPlan {
  const { validate, isAsync } = compileDtoValidator(p.type as Function, part as DtoSource);
  if (part === 'query') return { bind: (_ctx, request) => validate(checkedQuery(request.query)), isAsync, needsContext: false };
  return { bind: (_ctx, request) => validate(request[part]), isAsync, needsContext: false };
}

/**
 * The whole query, refused (400) when it has a `__proto__` key, as a JSON body is. The parsed
 * query has a null prototype, so the key is inert there, but a handler that copies the query
 * with Object.assign or a deep merge would give the copy that prototype.
 */
function checkedQuery(query: unknown): unknown {
  if (query !== null && typeof query === 'object' && Object.hasOwn(query, '__proto__')) {
    throw HttpError.badRequest('Query contains a forbidden key (__proto__)');
  }
  return query;
}

function fieldBinder(p: ParamDefinition, part: Part, where: Where): Binder {
  if (p.name === undefined) return part === 'query' ? (_ctx, request) => checkedQuery(request.query) : (_ctx, request) => request[part];
  const name = where === 'header' ? p.name.toLowerCase() : p.name;
  // Body fields are JSON already: checked for their type, never converted ("12" is no number).
  const convert = where === 'body' ? makeJsonTypeCheck(p.type, p.name) : makeScalarConverter(p.type, where, p.name);
  const read: Binder = (_ctx, request) => {
    const container = request[part] as Record<string, unknown> | null | undefined;
    return container !== null && typeof container === 'object' ? container[name] : undefined;
  };
  return convert === null ? read : (ctx, request) => convert(read(ctx, request));
}

/**
 * A parameter kind that reads one part of the request (`@Body`, `@Query`, `@Param`,
 * `@Header`): the whole part, one field of it converted to its declared type, or a DTO.
 */
export function requestPart(kind: ParamKind, part: Part, where: Where, describe: ParamKindSpec['describe']): ParamKindSpec {
  return {
    kind,
    schema(p) {
      if (p.isDto) return dtoShape(p.type as Function).schema;
      return p.name === undefined ? undefined : scalarSchema(p.type);
    },
    bind: (p) => (p.isDto ? dtoBinder(p, part) : { bind: fieldBinder(p, part, where), isAsync: false, needsContext: false }),
    describe,
  };
}

/** A converted scalar answers 422 for a bad value, as a DTO does. */
export function canFailValidation(p: ParamDefinition): boolean {
  return p.isDto || (p.name !== undefined && (p.type === Number || p.type === Boolean));
}

/** OpenAPI for `@Query`, `@Param` and `@Header`: a DTO is spread into one parameter per property. */
export function describeParameters(where: 'query' | 'path' | 'header'): NonNullable<ParamKindSpec['describe']> {
  return (p, op) => {
    if (canFailValidation(p)) op.canFailValidation = true;
    if (p.isDto) {
      const schema = op.registry.inline(p.type as Function);
      const required = new Set<string>(schema.required ?? []);
      for (const [name, prop] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
        if (where === 'path' && !op.pathNames.has(name)) continue; // not a path parameter of this route
        op.parameter({ name, in: where, required: where === 'path' || required.has(name), schema: prop });
      }
    } else if (p.name !== undefined) {
      if (where === 'path' && !op.pathNames.has(p.name)) return;
      op.parameter({ name: p.name, in: where, required: where === 'path', schema: scalarSchema(p.type) });
    }
  };
}
