import type { FastifyRequest } from 'fastify';
import type { AppRuntime } from '../app-runtime.js';
import type { Dependency, DependsOptions } from '../di/dependency.js';
import type { RequestContext } from '../di/request-context.js';
import { compileDtoValidator, type DtoSource } from '../validation/dto-validator.js';
import { makeJsonTypeCheck, makeScalarConverter } from './convert-scalar.js';
import type { ParamDefinition } from './route-table.js';

/** Produces one argument; `ctx` is null on routes that need no request context. */
export type Binder = (ctx: RequestContext | null, request: FastifyRequest) => unknown;

export interface BinderPlan {
  readonly bind: Binder;
  /** The binder returns a promise (dependencies). */
  readonly isAsync: boolean;
  readonly needsContext: boolean;
}

const dtoSource: Record<string, DtoSource> = { body: 'body', query: 'query', param: 'params', header: 'headers' };

type Part = 'body' | 'query' | 'params' | 'headers';
const partOf: Record<string, Part> = { body: 'body', query: 'query', param: 'params', header: 'headers' };

function dtoBinder(p: ParamDefinition): BinderPlan {
  const part = partOf[p.kind]!;
  const { validate, isAsync } = compileDtoValidator(p.type as Function, dtoSource[p.kind]!);
  return { bind: (_ctx, request) => validate(request[part]), isAsync, needsContext: false };
}

function partBinder(p: ParamDefinition): Binder {
  const part = partOf[p.kind]!;
  if (p.name === undefined) return (_ctx, request) => request[part];
  const name = p.kind === 'header' ? p.name.toLowerCase() : p.name;
  // Body fields are JSON already: checked for their type, never converted ("12" is no number).
  const convert = p.kind === 'body' ? makeJsonTypeCheck(p.type, p.name) : makeScalarConverter(p.type, p.kind === 'param' ? 'path' : p.kind, p.name);
  const read: Binder = (_ctx, request) => {
    const container = request[part] as Record<string, unknown> | null | undefined;
    return container !== null && typeof container === 'object' ? container[name] : undefined;
  };
  return convert === null ? read : (ctx, request) => convert(read(ctx, request));
}

/** How to produce each parameter of a route, decided once at startup. */
export function planBinder(p: ParamDefinition, runtime: AppRuntime): BinderPlan {
  switch (p.kind) {
    case 'request':
      return { bind: (ctx) => ctx!.request, isAsync: false, needsContext: true };
    case 'context':
      return { bind: (ctx) => ctx, isAsync: false, needsContext: true };
    case 'background':
      return { bind: (ctx) => ctx!.background, isAsync: false, needsContext: true };
    case 'depends': {
      const dep = p.token as Dependency;
      const options = (p.options ?? {}) as DependsOptions;
      return { bind: (ctx) => ctx!.resolve(dep, options), isAsync: true, needsContext: true };
    }
    case 'inject': {
      const token = p.token as never;
      // Resolved per request so transient services stay transient; a request that created a
      // child container (dependencies) resolves through it.
      return { bind: (ctx) => (ctx === null ? runtime.container.resolve(token) : ctx.inject(token)), isAsync: false, needsContext: false };
    }
    default:
      return p.isDto ? dtoBinder(p) : { bind: partBinder(p), isAsync: false, needsContext: false };
  }
}
