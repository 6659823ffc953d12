import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { plainToInstance } from 'class-transformer';
import { validate, validateSync, type ValidationError } from 'class-validator';
import { instanceChecker } from './compiled-checks.js';
import { convertStrings } from './convert-strings.js';
import { toDate } from './dates.js';
import { maxDepth, nestsDeeperThan, tooDeepError } from './depth.js';
import { dtoClosure, dtoShape, standaloneSchema, type DtoShape, type JsonSchema } from './dto-schema.js';
import { flattenValidationErrors, validationFailed, type FieldError } from './validation-error.js';

export type DtoSource = 'body' | 'query' | 'params' | 'headers' | 'form';

/** Turns request input into a validated DTO instance, or throws 422. */
export type DtoValidator = (input: unknown) => object | Promise<object>;

// One Ajv for every DTO: each schema is compiled once, at startup. Unknown properties are
// removed (class-validator's whitelist); types are never coerced for bodies. strictNumbers:
// `number`/`integer` refuse NaN and Infinity (JSON's 1e400 parses to Infinity), as
// class-validator's @IsNumber() and @IsInt() do; `strict: false` would otherwise allow them.
const ajv = new Ajv({ removeAdditional: 'all', allErrors: false, strict: false, strictNumbers: true, coerceTypes: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);

const classValidatorOptions = { whitelist: true, forbidUnknownValues: false };

function toPath(instancePath: string): string {
  return instancePath.split('/').slice(1).reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

// Used only when class-validator finds nothing wrong where the schema did (the schema is
// stricter in a few corners, such as required nested objects). Never echoes input values.
function schemaDetails(errors: readonly ErrorObject[]): FieldError[] {
  return errors.map((e) => {
    const missing = e.keyword === 'required' ? (e.params as { missingProperty: string }).missingProperty : undefined;
    const base = toPath(e.instancePath);
    const path = missing === undefined ? base : base ? `${base}.${missing}` : missing;
    return { path, messages: [missing === undefined ? `${path || 'value'} ${e.message ?? 'is invalid'}` : `${path} is required`] };
  });
}

// Thrown by a factory whose compiled checks refuse an instance; never leaves this module.
const refused: unique symbol = Symbol('cello.refused');

type Factory = (data: any) => object;

// Builds instances without class-transformer where nothing needs it: `new Dto()` plus the
// declared fields, nested DTOs built the same way. With `checked`, each instance then passes
// its DTO's compiled checks (on the instance, as class-validator sees it: field initialisers
// included) or the factory throws `refused`.
function makeFactory(shape: DtoShape, factories: Map<Function, Factory>, checked: boolean): Factory {
  const existing = factories.get(shape.type);
  if (existing) return existing;
  if (shape.needsClassTransformer) {
    const viaTransformer = (data: unknown) => plainToInstance(shape.type as new () => object, data) as object;
    factories.set(shape.type, viaTransformer);
    return viaTransformer;
  }
  const Type = shape.type as new () => Record<string, unknown>;
  const keys = Object.keys((shape.schema.properties ?? {}) as object);
  const nested = new Map<string, Factory>();
  const passes = checked ? instanceChecker(shape.checks) : null;
  const dates = shape.dates;
  const hasDates = dates.size > 0; // a DTO without Date properties pays one boolean per field
  const build = (data: Record<string, unknown>): object => {
    const instance = new Type();
    for (const key of keys) {
      const value = data[key];
      if (value === undefined) continue;
      if (hasDates && dates.has(key)) {
        instance[key] = toDate(value);
        continue;
      }
      const child = nested.get(key);
      instance[key] = child === undefined || value === null || typeof value !== 'object'
        ? value
        : Array.isArray(value) ? value.map((v) => (v !== null && typeof v === 'object' ? child(v) : v)) : child(value as object);
    }
    if (passes !== null && !passes(instance)) throw refused;
    return instance;
  };
  factories.set(shape.type, build);
  for (const [key, childType] of shape.nested) nested.set(key, makeFactory(dtoShape(childType), factories, checked));
  return build;
}

/**
 * Whether the check bounds how deep a valid value of this property can nest (scalars, enums of
 * scalars, nested DTOs, arrays of those). Anything else (free-form objects and arrays, values
 * left to class-validator) may nest arbitrarily deep.
 */
function isBounded(schema: JsonSchema): boolean {
  if (typeof schema.$ref === 'string') return true;
  if (Array.isArray(schema.anyOf)) return schema.anyOf.every((s: JsonSchema) => isBounded(s));
  if (Array.isArray(schema.enum)) return schema.enum.every((v: unknown) => v === null || typeof v !== 'object');
  switch (schema.type) {
    case 'string': case 'number': case 'integer': case 'boolean': case 'null':
      return true;
    case 'array':
      return schema.items !== null && typeof schema.items === 'object' && !Array.isArray(schema.items) && isBounded(schema.items);
    default:
      return false;
  }
}

function hasUnboundedProperty(shape: DtoShape): boolean {
  return Object.values((shape.validationSchema.properties ?? {}) as Record<string, JsonSchema>).some((p) => !isBounded(p));
}

/** Whether a DTO can contain itself (a tree): then its input depth must be capped up front. */
function containsItself(root: Function): boolean {
  const active = new Set<Function>();
  const visit = (type: Function): boolean => {
    if (active.has(type)) return true;
    active.add(type);
    for (const child of dtoShape(type).nested.values()) if (visit(child)) return true;
    active.delete(type);
    return false;
  };
  return visit(root);
}

/** Date properties class-transformer left as strings (no `@Type(() => Date)`), nested DTOs included. */
function reviveDates(value: unknown, shape: DtoShape): void {
  if (value === null || typeof value !== 'object') return;
  const target = value as Record<string, unknown>;
  for (const key of shape.dates) if (typeof target[key] === 'string') target[key] = toDate(target[key]);
  for (const [key, child] of shape.nested) {
    const inner = target[key];
    const childShape = dtoShape(child);
    if (Array.isArray(inner)) for (const item of inner) reviveDates(item, childShape);
    else reviveDates(inner, childShape);
  }
}

function notAnObject(source: DtoSource): never {
  throw validationFailed([{ path: '', messages: [`${source} must be a JSON object`] }]);
}

function tooDeep(source: DtoSource): never {
  throw tooDeepError(source);
}

/**
 * Compiles the validator of one DTO for one source, once. The common path is a compiled JSON
 * Schema check plus a plain factory; class-validator runs only for constraints the schema
 * cannot express, and to word the messages of input that failed.
 */
export function compileDtoValidator(type: Function, source: DtoSource): { validate: DtoValidator; isAsync: boolean } {
  const closure = dtoClosure(type);
  const shape = closure[0]!;
  const isAsync = closure.some((s) => s.isAsync);
  // Everything but a JSON body arrives as strings (a form's fields too).
  const convert = source !== 'body';
  const finish = (errors: ValidationError[], instance: object): object => {
    if (errors.length > 0) throw validationFailed(flattenValidationErrors(errors));
    return instance;
  };

  // @Transform, @Expose, @Type(() => Date)...: values change before they are validated, so
  // the schema of the raw input says nothing. class-transformer then class-validator, as
  // NestJS's ValidationPipe does (whitelist strips unknown properties); depth capped first,
  // since class-transformer recurses.
  if (closure.some((s) => s.needsClassTransformer)) {
    const Type = type as new () => object;
    const run: DtoValidator = (input) => {
      if (input === null || typeof input !== 'object' || Array.isArray(input)) notAnObject(source);
      if (nestsDeeperThan(input, maxDepth)) tooDeep(source);
      const data = convert ? convertStrings(input as Record<string, unknown>, shape.schema) : input;
      const instance = plainToInstance(Type, data) as object;
      reviveDates(instance, shape);
      if (isAsync) return validate(instance, classValidatorOptions).then((errors) => finish(errors, instance));
      return finish(validateSync(instance, classValidatorOptions), instance);
    };
    return { validate: run, isAsync };
  }

  // Trees and free-form values are the only ways a valid input nests deeper than its DTOs do.
  const capDepth = containsItself(type) || closure.some(hasUnboundedProperty);
  const check: ValidateFunction = ajv.compile(standaloneSchema(type, 'validationSchema'));
  // Either class-validator runs on the whole instance, or every constraint the schema cannot
  // say exactly is a compiled check run while building it; never both.
  const needsClassValidator = closure.some((s) => s.needsClassValidator);
  const checked = !needsClassValidator && closure.some((s) => s.checks.length > 0);
  const build = makeFactory(shape, new Map(), checked);

  // `schemaPassed`: the dates in the input are valid date-times, made Dates as the factory does
  // (else a refused DTO would also be told its valid date is not a Date).
  const explain = (input: unknown, schemaPassed = false): never => {
    if (nestsDeeperThan(input, maxDepth)) tooDeep(source);
    const instance = plainToInstance(type as new () => object, input) as object;
    if (schemaPassed) reviveDates(instance, shape);
    const errors = validateSync(instance, classValidatorOptions);
    const details = errors.length > 0 ? flattenValidationErrors(errors) : schemaDetails(check.errors ?? []);
    throw validationFailed(details);
  };

  // The messages of a refused instance are class-validator's, worded by `explain`.
  const buildChecked = (data: unknown): object => {
    try {
      return build(data);
    } catch (error) {
      if (error === refused) explain(data, true);
      throw error;
    }
  };

  const run: DtoValidator = (input) => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) notAnObject(source);
    if (capDepth && nestsDeeperThan(input, maxDepth)) tooDeep(source);
    const data = convert ? convertStrings(input as Record<string, unknown>, shape.schema) : input;
    if (!check(data)) explain(data);
    const instance = checked ? buildChecked(data) : build(data);
    if (!needsClassValidator) return instance;
    if (isAsync) return validate(instance, classValidatorOptions).then((errors) => finish(errors, instance));
    return finish(validateSync(instance, classValidatorOptions), instance);
  };
  return { validate: run, isAsync };
}
