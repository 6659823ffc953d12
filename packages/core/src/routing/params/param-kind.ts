import type { FastifyRequest } from 'fastify';
import type { AppRuntime } from '../../app-runtime.js';
import type { RequestContext } from '../../di/request-context.js';
import type { OperationParts } from '../../openapi/operation-parts.js';
import type { JsonSchema } from '../../validation/dto-schema.js';
import type { ParamDefinition, RouteDefinition } from '../route-table.js';
import type { ParamKind } from '../route-info.js';

/** Produces one argument; `ctx` is null on routes that need no request context. */
export type Binder = (ctx: RequestContext | null, request: FastifyRequest) => unknown;

export interface BinderPlan {
  readonly bind: Binder;
  /** The binder returns a promise (dependencies). */
  readonly isAsync: boolean;
  readonly needsContext: boolean;
}

/**
 * One kind of handler parameter, all in one place: how a parameter of this kind is bound per
 * request, its JSON Schema, and what it adds to the OpenAPI operation.
 */
export interface ParamKindSpec {
  readonly kind: ParamKind;
  /** A class that binds a parameter to this kind by its declared type alone (`req: Request`). */
  readonly boundType?: Function;
  /** The JSON Schema of the value, for the parts of the request. */
  schema?(p: ParamDefinition): JsonSchema | undefined;
  /** Plans the binder once, at startup; `route` is the row the parameter belongs to. */
  bind(p: ParamDefinition, runtime: AppRuntime, route: RouteDefinition): BinderPlan;
  describe?(p: ParamDefinition, op: OperationParts): void;
}
