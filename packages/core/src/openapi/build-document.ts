import { statusText } from '../http/status-text.js';
import { paramKinds } from '../routing/params/kinds.js';
import { toOpenApiPath } from '../routing/path.js';
import type { RouteInfo } from '../routing/route-info.js';
import type { JsonSchema } from '../validation/dto-schema.js';
import { isDtoClass } from '../validation/is-dto.js';
import type { OperationParts } from './operation-parts.js';
import { SchemaRegistry } from './schema-registry.js';
import type { OpenApiDocument, OpenApiOperation, OpenApiParameter, OpenApiPathItem, OpenApiResponse } from './types.js';

/** What the builder needs to know beyond the route table. */
export interface BuildDocumentOptions {
  info: OpenApiDocument['info'];
  /** Whether an app-wide built-in authenticates (`jwt`) or rate limits (`rateLimit`) a route. */
  applies(builtin: 'jwt' | 'rateLimit', def: RouteInfo): boolean;
  /** Routes left out of the document (the docs' own routes). */
  exclude?(def: RouteInfo): boolean;
}

const bearer = 'bearerAuth';
const pathParam = /:([A-Za-z_$][\w$]*)/g;

// The error answers a route can give, each a shared component. Which ones apply is decided per
// route below from what the route does (validation, guards, JWT, rate limit).
const errorResponses = {
  ValidationFailed: { status: 422, description: 'Validation failed: `details` lists each field path and its messages' },
  Unauthorized: { status: 401, description: 'Missing or invalid credentials' },
  Forbidden: { status: 403, description: 'Denied by a guard' },
  TooManyRequests: { status: 429, description: 'Rate limit exceeded; retry after `Retry-After` seconds' },
} as const;
type ErrorResponseName = keyof typeof errorResponses;

function errorBodySchema(): JsonSchema {
  return {
    type: 'object',
    description: 'The body of every error answer.',
    properties: {
      statusCode: { type: 'integer' },
      error: { type: 'string', description: 'The reason phrase of the status' },
      message: { type: 'string' },
      code: { type: 'string', description: 'A stable code, when the error has one' },
      details: { description: 'More about the error; for 422 a list of FieldError' },
    },
    required: ['statusCode', 'error', 'message'],
  };
}

function fieldErrorSchema(): JsonSchema {
  return {
    type: 'object',
    properties: { path: { type: 'string', examples: ['items[2].qty'] }, messages: { type: 'array', items: { type: 'string' } } },
    required: ['path', 'messages'],
  };
}

function defaultTags(def: RouteInfo): string[] | undefined {
  if (def.options.tags !== undefined) return def.options.tags.length > 0 ? [...def.options.tags] : undefined;
  if (def.controller === null) return undefined;
  return [def.controller.name.replace(/Controller$/, '') || def.controller.name];
}

class DocumentBuilder {
  readonly #registry = new SchemaRegistry();
  readonly #usedResponses = new Set<ErrorResponseName>();
  readonly #operationIds = new Set<string>();
  readonly #tags: string[] = [];
  readonly #options: BuildDocumentOptions;
  #usesBearer = false;

  constructor(options: BuildDocumentOptions) {
    this.#options = options;
  }

  build(routes: readonly RouteInfo[]): OpenApiDocument {
    const errorBody = this.#registry.addBuiltin('ErrorBody', errorBodySchema());
    const fieldError = this.#registry.addBuiltin('FieldError', fieldErrorSchema());
    const paths: Record<string, OpenApiPathItem> = {};
    for (const def of routes) {
      // OpenAPI 3.1 has no way to describe a WebSocket (that is AsyncAPI's job): left out.
      if (def.kind === 'websocket' || def.options.includeInDocs === false || this.#options.exclude?.(def)) continue;
      const item = (paths[toOpenApiPath(def.path)] ??= {});
      for (const method of def.methods) {
        item[method.toLowerCase() as keyof OpenApiPathItem] = this.#operation(def, method);
      }
    }
    const responses: Record<string, OpenApiResponse> = {};
    for (const name of Object.keys(errorResponses) as ErrorResponseName[]) {
      if (!this.#usedResponses.has(name)) continue;
      const schema = name === 'ValidationFailed'
        ? { allOf: [errorBody, { properties: { details: { type: 'array', items: fieldError } } }] }
        : errorBody;
      const response: OpenApiResponse = { description: errorResponses[name].description, content: { 'application/json': { schema } } };
      if (name === 'TooManyRequests') response.headers = { 'Retry-After': { description: 'Seconds until a request may succeed', schema: { type: 'integer' } } };
      responses[name] = response;
    }
    return {
      openapi: '3.1.0',
      info: this.#options.info,
      ...(this.#tags.length > 0 ? { tags: this.#tags.map((name) => ({ name })) } : {}),
      paths,
      components: {
        schemas: this.#registry.schemas,
        responses,
        ...(this.#usesBearer ? { securitySchemes: { [bearer]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } } : {}),
      },
    };
  }

  #operation(def: RouteInfo, method: string): OpenApiOperation {
    const { options } = def;
    const tags = defaultTags(def);
    for (const tag of tags ?? []) if (!this.#tags.includes(tag)) this.#tags.push(tag);
    const parts = this.#parts(def);
    const parameters = parts.parameters;
    const body = parts.body;
    const isAuthenticated = this.#options.applies('jwt', def);
    const hasGuards = def.guards.length > 0;

    const status = options.status ?? 200;
    const responses: OpenApiOperation['responses'] = { [String(status)]: this.#success(def, status) };
    const add = (name: ErrorResponseName) => {
      this.#usedResponses.add(name);
      responses[String(errorResponses[name].status)] = { $ref: `#/components/responses/${name}` };
    };
    if (parts.canFailValidation) add('ValidationFailed');
    // Guards may answer 401 (Authenticated, RoleGuard without a user) as well as 403.
    if (isAuthenticated || hasGuards) add('Unauthorized');
    if (hasGuards) add('Forbidden');
    if (this.#options.applies('rateLimit', def)) add('TooManyRequests');
    if (isAuthenticated) this.#usesBearer = true;

    return {
      operationId: this.#operationId(def, method),
      ...(options.summary !== undefined ? { summary: options.summary } : {}),
      ...(options.description !== undefined ? { description: options.description } : {}),
      ...(tags ? { tags } : {}),
      ...(options.deprecated ? { deprecated: true } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(body ? { requestBody: body } : {}),
      responses,
      // Without guards a request with no token still reaches the handler: the token is optional.
      ...(isAuthenticated ? { security: hasGuards ? [{ [bearer]: [] }] : [{ [bearer]: [] }, {}] } : {}),
    };
  }

  #operationId(def: RouteInfo, method: string): string {
    const base = def.controller !== null && def.propertyKey !== null
      ? `${def.controller.name}_${def.propertyKey}${def.methods.length > 1 ? `_${method.toLowerCase()}` : ''}`
      : `${method.toLowerCase()}_${def.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'root'}`;
    let id = base;
    for (let n = 2; this.#operationIds.has(id); n++) id = `${base}_${n}`;
    this.#operationIds.add(id);
    return id;
  }

  // Each parameter kind describes its own part of the operation (routing/params/).
  #parts(def: RouteInfo): { parameters: OpenApiParameter[]; body: OpenApiOperation['requestBody'] | undefined; canFailValidation: boolean } {
    const out = new Map<string, OpenApiParameter>();
    const pathNames = new Set([...def.path.matchAll(pathParam)].map((m) => m[1]!));
    const parts: OperationParts = {
      registry: this.#registry,
      pathNames,
      parameter: (p) => {
        const key = `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
        if (!out.has(key)) out.set(key, p);
      },
      body: { fields: {}, any: false },
      form: { properties: {}, required: [], used: false },
      canFailValidation: false,
    };
    for (const p of def.params) paramKinds.get(p.kind)?.describe?.(p, parts);
    // OpenAPI requires every `{name}` of the path to be described; undeclared ones are strings.
    for (const name of pathNames) parts.parameter({ name, in: 'path', required: true, schema: { type: 'string' } });
    return { parameters: [...out.values()], body: requestBody(parts.body, parts.form), canFailValidation: parts.canFailValidation };
  }

  #success(def: RouteInfo, status: number): OpenApiResponse {
    const response: OpenApiResponse = { description: statusText(status) };
    if (def.kind === 'sse') {
      response.description = 'A stream of server-sent events';
      response.content = { 'text/event-stream': { schema: { type: 'string' } } };
      return response;
    }
    const declared = def.options.response;
    const type = Array.isArray(declared) ? declared[0] : declared;
    if (status !== 204 && status !== 304 && isDtoClass(type)) {
      const ref = this.#registry.ref(type);
      response.content = { 'application/json': { schema: Array.isArray(declared) ? { type: 'array', items: ref } : ref } };
    }
    return response;
  }
}

function requestBody(body: OperationParts['body'], form: OperationParts['form']): OpenApiOperation['requestBody'] | undefined {
  if (form.used) {
    const schema: JsonSchema = { type: 'object', properties: form.properties, ...(form.required.length > 0 ? { required: form.required } : {}) };
    return { required: true, content: { 'multipart/form-data': { schema } } };
  }
  if (body.dto !== undefined) return { required: true, content: { 'application/json': { schema: body.dto } } };
  if (Object.keys(body.fields).length > 0) return { required: false, content: { 'application/json': { schema: { type: 'object', properties: body.fields } } } };
  if (body.any) return { required: false, content: { 'application/json': { schema: {} } } };
  return undefined;
}

/**
 * The OpenAPI 3.1 document for a route table: one operation per route and method, DTOs as
 * `components.schemas`, and the error answers each route can give. Runs once, at startup.
 */
export function buildOpenApiDocument(routes: readonly RouteInfo[], options: BuildDocumentOptions): OpenApiDocument {
  return new DocumentBuilder(options).build(routes);
}
