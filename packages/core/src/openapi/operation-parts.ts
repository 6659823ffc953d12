import type { JsonSchema } from '../validation/dto-schema.js';
import type { SchemaRegistry } from './schema-registry.js';
import type { OpenApiParameter } from './types.js';

/** What the parameters of one route add to its OpenAPI operation; each parameter kind fills in its part. */
export interface OperationParts {
  readonly registry: SchemaRegistry;
  /** The `{name}`s of the route's path. */
  readonly pathNames: ReadonlySet<string>;
  /** Adds a parameter (the first one of a name and place wins). */
  parameter(p: OpenApiParameter): void;
  /** The request body: a DTO's `$ref`, single fields, or any JSON. */
  readonly body: { dto?: JsonSchema; fields: Record<string, JsonSchema>; any: boolean };
  /** A multipart/form-data body: its files and fields (`@UploadedFile`, `@Form`). */
  readonly form: { properties: Record<string, JsonSchema>; required: string[]; used: boolean };
  /** Set when a parameter can answer 422. */
  canFailValidation: boolean;
}
