import type { JsonSchema } from '../validation/dto-schema.js';
import { responseSchema } from '../validation/response-schema.js';
import type { ParamInfo, RouteSchemas } from './route-info.js';

const parts = { body: 'body', query: 'query', param: 'params', header: 'headers' } as const;

// One part of the request as a route reads it: a DTO's schema, the fields read one by one, or
// (a whole-part parameter that is not a DTO) anything.
function partSchema(params: readonly ParamInfo[]): JsonSchema | undefined {
  if (params.length === 0) return undefined;
  const dto = params.find((p) => p.isDto);
  if (dto !== undefined) return dto.schema;
  if (params.some((p) => p.name === undefined)) return {};
  const properties: Record<string, JsonSchema> = {};
  for (const p of params) properties[p.kind === 'header' ? p.name!.toLowerCase() : p.name!] = p.schema ?? {};
  return { type: 'object', properties };
}

/** The schemas of the request parts a route reads and of its response, computed at scan time. */
export function routeSchemas(params: readonly ParamInfo[], response: unknown, owner: string): RouteSchemas {
  const out: { -readonly [K in keyof RouteSchemas]: RouteSchemas[K] } = {};
  for (const [kind, part] of Object.entries(parts) as Array<[keyof typeof parts, (typeof parts)[keyof typeof parts]]>) {
    const schema = partSchema(params.filter((p) => p.kind === kind));
    if (schema !== undefined) out[part] = schema;
  }
  const res = responseSchema(response, owner);
  if (res !== null) out.response = res;
  return out;
}
