import { celloError } from '../errors/cello-error.js';
import { Request } from '../http/request.js';
import { getParamTypes } from '../metadata/design-types.js';
import { getParams } from '../metadata/param-meta.js';
import type { ParamMeta } from '../metadata/types.js';
import { isDtoClass } from '../validation/is-dto.js';
import { assertOneCopy } from '../validation/library-copies.js';
import { paramKinds, typeBoundKinds } from './params/kinds.js';
import type { ParamKind } from './route-info.js';
import type { ParamDefinition } from './route-table.js';

function typeName(type: unknown): string {
  if (type === undefined) return 'unknown';
  return typeof type === 'function' ? type.name || 'anonymous class' : String(type);
}

const unboundHint =
  'Type it as Request, RequestContext, BackgroundTasks or a DTO class, or bind it with @Body(), @Query(), ' +
  '@Param(name), @Header(name), @Inject(token) or @Depends(fn).';

// At runtime, what tsc emits for a type that has no value: an interface or type alias is
// `Object`, a class brought in with `import type` is `Function`.
const erasedHint =
  'Its declared type was erased: an interface, a type alias, or a class imported with `import type`. If it is Request, ' +
  'RequestContext, BackgroundTasks or a DTO class, import it as a value (`import { Request } from \'@cello/core\'`, not ' +
  '`import type`). Otherwise bind it with @Body(), @Query(), @Param(name), @Header(name), @Inject(token) or @Depends(fn).';

/** A class of the app's own (not Object, Array, Date, Map... which the global scope holds). */
function isOwnClass(type: unknown): type is Function {
  return typeof type === 'function' && type.prototype !== undefined && type !== Function
    && (globalThis as Record<string, unknown>)[type.name] !== type;
}

/**
 * A class typed where a DTO is expected, with nothing Cello could validate it by: its
 * decorators are missing, or they went into another copy of class-validator/class-transformer.
 */
function noDecorators(index: number, owner: string, type: Function, site: Error): never {
  assertOneCopy();
  throw celloError('CELLO_ERR_DTO_NO_DECORATORS', [index, owner, type.name || 'anonymous class', type.name || 'it'], { site });
}

// The parameter with its JSON Schema, which its kind computes once, here.
function withSchema(def: ParamDefinition): ParamDefinition {
  const schema = paramKinds.get(def.kind)?.schema?.(def);
  return schema === undefined ? def : { ...def, schema };
}

function fromDecorator(meta: ParamMeta, type: unknown, owner: string, site: Error): ParamDefinition {
  const kind = meta.source as ParamKind;
  // A DTO class is validated as a whole part (`@Body() dto: CreateItem`), not as one field.
  const wholePart = meta.name === undefined && (kind === 'body' || kind === 'query' || kind === 'param');
  const isDto = wholePart && isDtoClass(type);
  if (wholePart && !isDto && isOwnClass(type) && !typeBoundKinds.has(type)) noDecorators(meta.index, owner, type, site);
  return withSchema({ index: meta.index, kind, name: meta.name, type, isDto, token: meta.token, options: meta.options });
}

function fromType(index: number, type: unknown, owner: string, site: Error): ParamDefinition {
  const bound = typeBoundKinds.get(type);
  if (bound) return { index, kind: bound, type, isDto: false };
  const g = globalThis as Record<string, unknown>;
  if (type === g.Request || type === g.Response) {
    const name = type === g.Request ? 'Request' : 'Response';
    throw celloError('CELLO_ERR_PARAM_FETCH_TYPE', [index, owner, name, name], { site });
  }
  if (isDtoClass(type)) return withSchema({ index, kind: 'body', type, isDto: true });
  if (type === undefined) throw celloError('CELLO_ERR_PARAM_TYPE_UNDEFINED', [index, owner], { site });
  if (type === Object || type === Function) throw celloError('CELLO_ERR_PARAM_UNBOUND', [index, owner, typeName(type), erasedHint], { site });
  if (isOwnClass(type)) noDecorators(index, owner, type, site);
  throw celloError('CELLO_ERR_PARAM_UNBOUND', [index, owner, typeName(type), unboundHint], { site });
}

/**
 * The parameters of a controller method, each bound by its decorator or else by its declared
 * type. Anything that cannot be bound is an error now, naming the method and position and
 * pointing at the route's declaration, instead of an `undefined` at request time.
 */
export function paramDefinitions(owner: object, propertyKey: string, method: Function, ownerName: string, site: Error): ParamDefinition[] {
  const decorated = getParams(owner, propertyKey);
  const types = getParamTypes(owner, propertyKey);
  const byIndex = new Map(decorated.map((m) => [m.index, m]));
  const count = Math.max(method.length, types?.length ?? 0, ...decorated.map((m) => m.index + 1));
  const out: ParamDefinition[] = [];
  for (let index = 0; index < count; index++) {
    const meta = byIndex.get(index);
    const type = types?.[index];
    if (meta) {
      out.push(fromDecorator(meta, type, ownerName, site));
    } else if (!types) {
      throw celloError('CELLO_ERR_PARAM_NO_METADATA', [index, ownerName, ownerName.split('.')[0]], { site });
    } else {
      out.push(fromType(index, type, ownerName, site));
    }
  }
  return out;
}

/** Functional routes get `(req, ctx)` by arity: a handler with no parameters gets nothing. */
export function functionalParams(handler: Function): ParamDefinition[] {
  const out: ParamDefinition[] = [];
  if (handler.length >= 1) out.push({ index: 0, kind: 'request', type: Request, isDto: false });
  if (handler.length >= 2) out.push({ index: 1, kind: 'context', type: undefined, isDto: false });
  return out;
}
