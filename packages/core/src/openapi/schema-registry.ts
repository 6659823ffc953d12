import { celloError } from '../errors/cello-error.js';
import { dtoClosure, dtoShape, type JsonSchema } from '../validation/dto-schema.js';

const definitionsPrefix = '#/definitions/';
const componentsPrefix = '#/components/schemas/';

/**
 * A deep copy of `schema` with class-validator-jsonschema's `#/definitions/X` pointers aimed at
 * `#/components/schemas/X`. Copies because dtoShape() caches its schemas for the validator.
 */
export function toComponentRefs(schema: unknown): any {
  if (Array.isArray(schema)) return schema.map(toComponentRefs);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith(definitionsPrefix)
      ? componentsPrefix + value.slice(definitionsPrefix.length)
      : toComponentRefs(value);
  }
  return out;
}

/**
 * The document's `components.schemas`: each DTO once, by class name, with the DTOs it nests.
 * Names must be unique, since nested DTOs refer to each other by class name.
 */
export class SchemaRegistry {
  readonly schemas: Record<string, JsonSchema> = {};
  // Who owns each name: a DTO class, or a string naming Cello's own schema.
  readonly #owners = new Map<string, Function | string>();

  /** Adds one of Cello's own schemas (the error body); a DTO of the same name is a conflict. */
  addBuiltin(name: string, schema: JsonSchema): JsonSchema {
    this.#claim(name, 'Cello');
    this.schemas[name] = schema;
    return { $ref: componentsPrefix + name };
  }

  /** Registers a DTO and every DTO it nests; returns a `$ref` to it. */
  ref(type: Function): JsonSchema {
    for (const shape of dtoClosure(type)) {
      if (this.#owners.get(shape.type.name) === shape.type) continue;
      this.#claim(shape.type.name, shape.type);
      this.schemas[shape.type.name] = toComponentRefs(shape.schema);
    }
    return { $ref: componentsPrefix + type.name };
  }

  /**
   * A DTO's own schema, inline, for a query or path DTO that is spread into parameters. The
   * DTOs it nests still go to components.
   */
  inline(type: Function): JsonSchema {
    for (const child of dtoShape(type).nested.values()) this.ref(child);
    return toComponentRefs(dtoShape(type).schema);
  }

  #claim(name: string, owner: Function | string): void {
    const current = this.#owners.get(name);
    if (current !== undefined && current !== owner) {
      const describe = (o: Function | string) => (typeof o === 'string' ? `${o}'s built-in schema` : `a DTO class`);
      throw celloError('CELLO_ERR_DOCS_SCHEMA_CONFLICT', [name, describe(current), describe(owner)]);
    }
    this.#owners.set(name, owner);
  }
}
