import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { classChain } from '../metadata/class-chain.js';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { checkDtoTypes } from './check-dto-types.js';
import { compiledCheck, propertyCheck, type PropertyCheck } from './compiled-checks.js';
import { dateProperties, dateSchemas } from './dates.js';
/** A JSON Schema object (draft-07 / OpenAPI 3.1 dialect). */
export type JsonSchema = Record<string, any>;

/** One DTO class with what is known about it at startup. */
export interface DtoShape {
  readonly type: Function;
  /** Its own JSON Schema (nested DTOs as `$ref: #/definitions/Name`). */
  readonly schema: JsonSchema;
  /** Property -> nested DTO class (for single values and arrays alike). */
  readonly nested: ReadonlyMap<string, Function>;
  /** Properties whose nested value is an array of DTOs. */
  readonly nestedArrays: ReadonlySet<string>;
  /** Properties declared as Date: date-time strings in, Date instances out. */
  readonly dates: ReadonlySet<string>;
  /**
   * Constraints neither JSON Schema nor a compiled check covers exactly: class-validator's
   * whole pipeline must still run (see compiled-checks.ts for the fallback rule).
   */
  readonly needsClassValidator: boolean;
  /** Per-property calls of class-validator's own functions, for constraints the schema cannot say. */
  readonly checks: readonly PropertyCheck[];
  /** Has an async validator, so class-validator's async `validate` is needed. */
  readonly isAsync: boolean;
  /** Uses class-transformer features a plain factory cannot reproduce (@Transform, @Expose...). */
  readonly needsClassTransformer: boolean;
  /**
   * The schema the request check compiles (nested DTOs as `$ref` too): `schema` without what
   * could refuse input class-validator accepts. Constraints that are not exact (formats,
   * patterns, custom validators) and properties under @ValidateIf are left to class-validator;
   * @IsOptional properties also accept null; @Allow-only properties are not required.
   */
  readonly validationSchema: JsonSchema;
}

// Constraints whose JSON Schema form means exactly what class-validator checks. Anything else
// (custom validators, formats whose rules differ in corner cases, conditional validation)
// also goes through class-validator after the schema check.
const exact = new Set<string>([
  'isString', 'isNumber', 'isInt', 'isBoolean', 'min', 'max',
  'isIn', 'isEnum', 'isArray', 'arrayMinSize', 'arrayMaxSize', 'isPositive', 'isNegative', 'isObject',
  ValidationTypes.NESTED_VALIDATION, ValidationTypes.IS_DEFINED, ValidationTypes.WHITELIST,
  ValidationTypes.CONDITIONAL_VALIDATION, // only @IsOptional (checked below)
]);

/** The part of a class-validator ValidationMetadata read here. */
interface ValidationMeta {
  type: string;
  name?: string;
  target: Function | string;
  propertyName: string;
  constraints: any[];
  constraintCls?: Function;
  each?: boolean;
  validateIf?: unknown;
}

const refPointerPrefix = '#/definitions/';

function isClass(value: unknown): value is Function {
  return typeof value === 'function' && value.prototype !== undefined
    && value !== Array && value !== Object && value !== String && value !== Number && value !== Boolean && value !== Symbol;
}

/** The DTO class a @ValidateNested property holds (from @Type, else its declared type), if any. */
function nestedClass(target: Function, property: string): Function | undefined {
  const typeMeta = defaultMetadataStorage.findTypeMetadata(target, property);
  const child = typeMeta ? typeMeta.typeFunction() : Reflect.getMetadata('design:type', target.prototype, property);
  return isClass(child) ? child : undefined;
}

/** What class-validator accepts for a list of allowed values (IsIn, IsEnum): equal to one of them. */
function enumSchema(values: unknown[]): JsonSchema {
  const unique = [...new Set(values)];
  const types = new Set(unique.map((v) => (v === null ? 'null' : typeof v)));
  const [only] = [...types];
  return types.size === 1 && (only === 'string' || only === 'number' || only === 'boolean') ? { type: only, enum: unique } : { enum: unique };
}

function dateText(value: unknown): string {
  const date = typeof value === 'function' ? (value as () => unknown)() : value;
  return date instanceof Date ? date.toJSON() : String(date);
}

// Corrections to class-validator-jsonschema's converters, for docs and validation alike.
const converters = {
  // class-validator accepts every value of the enum object (a numeric enum's names too).
  isEnum: (meta: ValidationMeta) => {
    const entity = meta.constraints[0] as Record<string, unknown>;
    return enumSchema(Object.keys(entity).map((key) => entity[key]));
  },
  // Values of mixed types (IsIn([1, 'one'])) still make an enum.
  isIn: (meta: ValidationMeta) => enumSchema(meta.constraints[0] as unknown[]),
  // A Date goes over the wire as an ISO date-time (the default `oneOf: [date, date-time]` makes
  // fast-json-stringify write a Date as a bare date, dropping the time).
  isDate: { type: 'string', format: 'date-time' },
  minDate: (meta: ValidationMeta) => ({ type: 'string', format: 'date-time', description: `After ${dateText(meta.constraints[0])}` }),
  maxDate: (meta: ValidationMeta) => ({ type: 'string', format: 'date-time', description: `Before ${dateText(meta.constraints[0])}` }),
  // An array-typed property with @ValidateNested() (no `each`) holds an array of the DTO; a
  // property whose class cannot be told is left to class-validator (no dangling $ref).
  [ValidationTypes.NESTED_VALIDATION]: (meta: ValidationMeta) => {
    if (typeof meta.target !== 'function') return {};
    const child = nestedClass(meta.target, meta.propertyName);
    if (child === undefined) return {};
    const ref = { $ref: refPointerPrefix + child.name };
    const isArray = Reflect.getMetadata('design:type', meta.target.prototype, meta.propertyName) === Array;
    return isArray && !meta.each ? { type: 'array', items: ref } : ref;
  },
};

const schemaOptions = {
  classTransformerMetadataStorage: defaultMetadataStorage as never,
  refPointerPrefix,
  additionalConverters: converters as never,
};

interface TransformerInternals {
  _typeMetadatas?: Map<Function, Map<string, { options?: { discriminator?: unknown } }>>;
  _transformMetadatas?: Map<Function, unknown>;
  _exposeMetadatas?: Map<Function, unknown>;
  _excludeMetadatas?: Map<Function, unknown>;
}

// @Type is reproduced by the plain factory only on @ValidateNested DTO properties; anywhere else
// (`@Type(() => Date)`, a discriminator, a class without @ValidateNested) class-transformer must run.
function usesTransformer(type: Function, nested: ReadonlyMap<string, Function>, dates: ReadonlySet<string>): boolean {
  const storage = defaultMetadataStorage as unknown as TransformerInternals;
  return classChain(type).some((t) => {
    if (storage._transformMetadatas?.has(t) || storage._exposeMetadatas?.has(t) || storage._excludeMetadatas?.has(t)) return true;
    const types = storage._typeMetadatas?.get(t);
    if (types === undefined) return false;
    for (const [property, meta] of types) {
      if (dates.has(property)) continue; // @Type(() => Date): the factory makes the Date
      if (!nested.has(property) || meta.options?.discriminator !== undefined) return true;
    }
    return false;
  });
}

function numberOptionsMatter(constraints: unknown[] | undefined): boolean {
  const options = constraints?.[0] as Record<string, unknown> | undefined;
  return options !== undefined && Object.keys(options).length > 0;
}

function allowsNonFinite(constraints: unknown[] | undefined): boolean {
  const options = constraints?.[0] as { allowNaN?: unknown; allowInfinity?: unknown } | undefined;
  return options?.allowNaN === true || options?.allowInfinity === true;
}

const isConditional = (meta: ValidationMeta): boolean => meta.type === ValidationTypes.CONDITIONAL_VALIDATION;
const isOptionalMeta = (meta: ValidationMeta): boolean => isConditional(meta) && meta.name === 'isOptional';

/**
 * Whether the schema class-validator-jsonschema makes of this constraint never refuses a value
 * class-validator accepts (it may accept more: class-validator then still runs).
 */
function schemaSafe(meta: ValidationMeta): boolean {
  if (meta.each && meta.type !== ValidationTypes.NESTED_VALIDATION) return false; // `each` also accepts a lone value
  if (meta.validateIf !== undefined) return false; // `{ validateIf }` skips this one constraint at times
  // The compiled check refuses NaN and Infinity for `type: number`; these options accept them.
  if (meta.name === 'isNumber' && allowsNonFinite(meta.constraints)) return false;
  if (meta.type === ValidationTypes.CUSTOM_VALIDATION) return exact.has(meta.name ?? meta.type);
  if (isConditional(meta)) return isOptionalMeta(meta);
  return exact.has(meta.type);
}

/** Whether the schema checks exactly what class-validator would: then it need not run. */
function isExact(meta: ValidationMeta): boolean {
  if (!schemaSafe(meta)) return false;
  if (meta.name === 'isNumber' && numberOptionsMatter(meta.constraints)) return false; // allowNaN, maxDecimalPlaces...
  if (meta.type === ValidationTypes.NESTED_VALIDATION) return typeof meta.target === 'function' && nestedClass(meta.target, meta.propertyName) !== undefined;
  return true;
}

/**
 * The compiled checks of a DTO's own properties, or undefined when one of its constraints is
 * neither exact in the schema nor compiled (then class-validator runs on the whole DTO).
 */
function compileChecks(props: ReadonlyMap<string, ValidationMeta[]>): PropertyCheck[] | undefined {
  const checks: PropertyCheck[] = [];
  for (const [name, metas] of props) {
    const tests: ((value: unknown) => boolean)[] = [];
    for (const meta of metas) {
      if (isExact(meta)) continue;
      const test = compiledCheck(meta);
      if (test === undefined) return undefined;
      tests.push(test);
    }
    if (tests.length > 0) checks.push(propertyCheck(name, tests, metas.some(isOptionalMeta)));
  }
  return checks;
}

function byProperty(metas: readonly ValidationMeta[]): Map<string, ValidationMeta[]> {
  const out = new Map<string, ValidationMeta[]>();
  for (const meta of metas) {
    const list = out.get(meta.propertyName);
    if (list) list.push(meta);
    else out.set(meta.propertyName, [meta]);
  }
  return out;
}

// lodash.merge of each constraint's schema lets the last one win: `@Min(1) @IsInt()` would
// give `type: 'number'`. An integer constraint anywhere makes the property an integer.
function fixIntegers(schema: JsonSchema, props: ReadonlyMap<string, ValidationMeta[]>): void {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [name, metas] of props) {
    const prop = properties[name];
    if (prop !== undefined && prop.type === 'number' && metas.some((m) => m.name === 'isInt' && !m.each)) prop.type = 'integer';
  }
}

/**
 * A class-validator metadata storage showing class-validator-jsonschema only what the request
 * check may enforce: other constraints become @Allow-like placeholders (the property stays, so
 * the check does not strip it) and @ValidateIf properties keep only their condition.
 */
function validationStorage(): unknown {
  const storage = getMetadataStorage();
  const placeholder = (meta: ValidationMeta): ValidationMeta =>
    ({ ...meta, type: ValidationTypes.WHITELIST, name: undefined, constraintCls: undefined, constraints: [], each: false });
  return {
    getTargetValidatorConstraints: (target: Function) => storage.getTargetValidatorConstraints(target),
    getTargetValidationMetadatas: (...args: Parameters<typeof storage.getTargetValidationMetadatas>) => {
      const metas = storage.getTargetValidationMetadatas(...args) as unknown as ValidationMeta[];
      const conditional = new Set(metas.filter((m) => isConditional(m) && !isOptionalMeta(m)).map((m) => m.propertyName));
      return metas.map((meta) => {
        if (conditional.has(meta.propertyName)) return isConditional(meta) ? meta : placeholder(meta);
        return schemaSafe(meta) ? meta : placeholder(meta);
      });
    },
  };
}

function makeValidationSchema(type: Function, props: ReadonlyMap<string, ValidationMeta[]>, dates: ReadonlySet<string>): JsonSchema {
  const schema = targetConstructorToSchema(type, { ...schemaOptions, classValidatorMetadataStorage: validationStorage() as never }) as JsonSchema;
  fixIntegers(schema, props);
  dateSchemas(schema, dates);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [name, metas] of props) {
    const prop = properties[name];
    // class-validator skips every constraint of an @IsOptional property that is null.
    if (prop !== undefined && Object.keys(prop).length > 0 && metas.some(isOptionalMeta)) properties[name] = { anyOf: [{ type: 'null' }, prop] };
  }
  // Required only where a constraint the check enforces refuses a missing value.
  const demands = (name: string): boolean =>
    (props.get(name) ?? []).some((m) => schemaSafe(m) && !isConditional(m) && m.type !== ValidationTypes.WHITELIST);
  if (Array.isArray(schema.required)) {
    const required = (schema.required as string[]).filter(demands);
    if (required.length > 0) schema.required = required;
    else delete schema.required;
  }
  return schema;
}

const shapes = new WeakMap<Function, DtoShape>();

/** Reads a DTO class's decorators once and caches what validation and docs need. */
export function dtoShape(type: Function): DtoShape {
  const cached = shapes.get(type);
  if (cached) return cached;
  const metas = getMetadataStorage().getTargetValidationMetadatas(type, '', false, false) as unknown as ValidationMeta[];
  checkDtoTypes(type, metas);
  const dates = dateProperties(type, new Set(metas.map((m) => m.propertyName)));
  const nested = new Map<string, Function>();
  const nestedArrays = new Set<string>();
  let isAsync = false;
  for (const meta of metas) {
    if (meta.constraintCls && getMetadataStorage().getTargetValidatorConstraints(meta.constraintCls).some((c) => c.async)) isAsync = true;
    if (meta.type === ValidationTypes.NESTED_VALIDATION) {
      const child = nestedClass(type, meta.propertyName);
      if (child !== undefined) {
        nested.set(meta.propertyName, child);
        if (meta.each || Reflect.getMetadata('design:type', type.prototype, meta.propertyName) === Array) nestedArrays.add(meta.propertyName);
      }
    }
  }
  const props = byProperty(metas);
  const checks = isAsync ? undefined : compileChecks(props);
  const schema = targetConstructorToSchema(type, schemaOptions) as JsonSchema;
  fixIntegers(schema, props);
  dateSchemas(schema, dates);
  const shape: DtoShape = {
    type,
    schema,
    nested,
    nestedArrays,
    dates,
    needsClassValidator: checks === undefined,
    checks: checks ?? [],
    isAsync,
    needsClassTransformer: usesTransformer(type, nested, dates),
    validationSchema: makeValidationSchema(type, props, dates),
  };
  shapes.set(type, shape);
  return shape;
}

/** Every DTO reachable from `root` (itself included), each once. */
export function dtoClosure(root: Function): DtoShape[] {
  const out: DtoShape[] = [];
  const seen = new Set<Function>();
  const visit = (type: Function): void => {
    if (seen.has(type)) return;
    seen.add(type);
    const shape = dtoShape(type);
    out.push(shape);
    for (const child of shape.nested.values()) visit(child);
  };
  visit(root);
  return out;
}

/**
 * A self-contained schema for `root`: its nested DTOs under `definitions`. `which` picks the
 * documented schema (default) or the one the request check compiles.
 */
export function standaloneSchema(root: Function, which: 'schema' | 'validationSchema' = 'schema'): JsonSchema {
  const [self, ...rest] = dtoClosure(root);
  const definitions: Record<string, JsonSchema> = {};
  for (const shape of rest) definitions[shape.type.name] = shape[which];
  // A DTO that contains itself refers to its own definition too.
  if (rest.length > 0 || self!.nested.size > 0) definitions[root.name] = self![which];
  return Object.keys(definitions).length > 0 ? { ...self![which], definitions } : { ...self![which] };
}
