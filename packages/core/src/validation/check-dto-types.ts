import { ValidationTypes } from 'class-validator';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { celloError } from '../errors/cello-error.js';
import { classChain } from '../metadata/class-chain.js';
import { getPropertyType } from '../metadata/design-types.js';
import { isDtoClass } from './is-dto.js';
import { assertOneCopy } from './library-copies.js';

/** The part of a class-validator ValidationMetadata read here. */
interface PropertyMeta {
  type: string;
  propertyName: string;
  each?: boolean;
}

interface TransformerInternals {
  _typeMetadatas?: Map<Function, Map<string, unknown>>;
  _transformMetadatas?: Map<Function, Map<string, unknown>>;
}

// Types whose values a JSON body or a query string cannot carry, and what to declare instead.
const unsupported = new Map<unknown, string>([
  [BigInt, 'Declare it as a string (`@IsNumberString({ no_symbols: true })` or `@Matches(/^-?\\d+$/)`) and convert it with BigInt(value) where it is used: a JSON number loses precision above 2^53, and Cello converts no bigint silently.'],
  [Map, 'Declare it as a plain object (`Record<string, T>` with @IsObject()) or as an array of entries.'],
  [Set, 'Declare it as an array (`T[]` with @IsArray() and @ArrayUnique()).'],
  [WeakMap, 'Declare it as a plain object (`Record<string, T>` with @IsObject()).'],
  [WeakSet, 'Declare it as an array (`T[]` with @IsArray()).'],
  [Symbol, 'Declare it as a string.'],
  [Promise, 'Declare the value itself, not a Promise of it.'],
  [Function, 'A function cannot come from a request: remove the property from the DTO.'],
]);

function typeName(type: unknown): string {
  if (type === undefined) return 'an unknown type';
  if (type === BigInt) return 'bigint';
  if (type === Symbol) return 'symbol';
  return typeof type === 'function' ? type.name || 'an anonymous class' : String(type);
}

/** The class a property's @Type(() => X) names, read from the class-transformer copy Cello uses. */
function typeDecoratorClass(type: Function, property: string): Function | undefined {
  const meta = defaultMetadataStorage.findTypeMetadata(type, property);
  const found = meta?.typeFunction();
  return typeof found === 'function' ? found : undefined;
}

function hasTransform(type: Function, property: string): boolean {
  const storage = defaultMetadataStorage as unknown as TransformerInternals;
  return classChain(type).some((t) => storage._transformMetadatas?.get(t)?.has(property) === true);
}

/** Every property Cello knows of on a DTO: those with validation or class-transformer @Type metadata. */
function propertiesOf(type: Function, metas: readonly PropertyMeta[]): Set<string> {
  const out = new Set(metas.map((m) => m.propertyName));
  const storage = defaultMetadataStorage as unknown as TransformerInternals;
  for (const t of classChain(type)) for (const property of storage._typeMetadatas?.get(t)?.keys() ?? []) out.add(property);
  return out;
}

/**
 * Refuses, at startup, a DTO whose properties would be validated less than its declaration
 * says: a type JSON cannot carry, a @ValidateNested() whose class cannot be told, a property
 * holding a DTO class without @ValidateNested(). Each would otherwise accept anything there.
 */
export function checkDtoTypes(type: Function, metas: readonly PropertyMeta[]): void {
  const owner = type.name || 'anonymous class';
  for (const property of propertiesOf(type, metas)) {
    const declared = getPropertyType(type, property);
    const hint = unsupported.get(declared);
    if (hint !== undefined && !hasTransform(type, property)) {
      throw celloError('CELLO_ERR_DTO_TYPE_UNSUPPORTED', [owner, property, typeName(declared), hint]);
    }
    const own = metas.filter((m) => m.propertyName === property);
    const nestedMeta = own.find((m) => m.type === ValidationTypes.NESTED_VALIDATION);
    const named = typeDecoratorClass(type, property);
    const isList = declared === Array || nestedMeta?.each === true;
    if (nestedMeta !== undefined) {
      const known = named ?? (typeof declared === 'function' && declared !== Array && declared !== Object ? declared : undefined);
      if (known !== undefined) continue;
      // The app wrote an @Type Cello cannot see: a second copy is the likely cause, so say that first.
      assertOneCopy(['class-transformer']);
      const what = isList ? 'element class' : 'class';
      const extra = declared === Object
        ? 'A property typed with an interface or a type alias has no runtime class: declare it with the DTO class.'
        : '';
      throw celloError('CELLO_ERR_DTO_NESTED_TYPE_MISSING', [owner, property, what, typeName(declared), extra]);
    }
    const held = named ?? declared;
    if (typeof held === 'function' && held !== Date && held !== Array && held !== Object && isDtoClass(held)) {
      const needsType = named === undefined && isList;
      throw celloError('CELLO_ERR_DTO_NESTED_NOT_VALIDATED', [
        owner, property, isList ? 'a list of' : 'a', held.name, isList ? `({ each: true })${needsType ? ` and @Type(() => ${held.name})` : ''}` : '()',
      ]);
    }
  }
}
