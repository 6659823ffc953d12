import type { JsonSchema } from '../validation/dto-schema.js';

/** Options of `app.enableDocs()`. */
export interface DocsOptions {
  /** Where the interactive page is served (default `/docs`); its assets live under `${path}/assets/`. */
  path?: string;
  /** The API's title in the document and the page (default `API`). */
  title?: string;
  /** The API's version, `info.version` (default `1.0.0`). */
  version?: string;
  /** A longer description (CommonMark) shown under the title. */
  description?: string;
}

// The parts of OpenAPI 3.1 that Cello writes. Loose where the spec is open-ended (schemas).

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
  description?: string;
}

export interface OpenApiMediaType {
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  content?: Record<string, OpenApiMediaType>;
  headers?: Record<string, { description?: string; schema: JsonSchema }>;
}

export interface OpenApiOperation {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse | { $ref: string }>;
  security?: Array<Record<string, string[]>>;
}

export type OpenApiPathItem = Partial<Record<'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch', OpenApiOperation>>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  tags?: Array<{ name: string }>;
  paths: Record<string, OpenApiPathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, OpenApiResponse>;
    securitySchemes?: Record<string, Record<string, unknown>>;
  };
}
