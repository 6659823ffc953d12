import { formDependency } from '../../files/multipart-plan.js';
import type { ParsedForm } from '../../files/multipart-reader.js';
import { compileDtoValidator } from '../../validation/dto-validator.js';
import { dtoShape, type JsonSchema } from '../../validation/dto-schema.js';
import { makeScalarConverter } from '../convert-scalar.js';
import { canFailValidation, scalarSchema } from './request-part.js';
import type { ParamKindSpec } from './param-kind.js';

function fields(form: ParsedForm): Record<string, unknown> {
  return form.fields;
}

/**
 * `@Form() form: ProfileForm`: the text fields of a multipart body, validated like a JSON body
 * (the same 422) once strings are converted to the DTO's types; `@Form('name')` one field.
 */
export const formParam: ParamKindSpec = {
  kind: 'form',
  schema(p) {
    if (p.isDto) return dtoShape(p.type as Function).schema;
    return p.name === undefined ? undefined : scalarSchema(p.type);
  },
  bind(p, runtime, route) {
    const dep = formDependency(route, runtime);
    if (p.isDto) {
      const { validate } = compileDtoValidator(p.type as Function, 'form');
      return { bind: (ctx) => ctx!.resolve(dep).then((form) => validate(form.fields)), isAsync: true, needsContext: true };
    }
    if (p.name === undefined) return { bind: (ctx) => ctx!.resolve(dep).then(fields), isAsync: true, needsContext: true };
    const name = p.name;
    const convert = makeScalarConverter(p.type, 'form', name);
    const read = (form: ParsedForm) => (convert === null ? form.fields[name] : convert(form.fields[name]));
    return { bind: (ctx) => ctx!.resolve(dep).then(read), isAsync: true, needsContext: true };
  },
  describe(p, op) {
    op.form.used = true;
    if (canFailValidation(p)) op.canFailValidation = true;
    if (p.isDto) {
      const schema = op.registry.inline(p.type as Function);
      Object.assign(op.form.properties, (schema.properties ?? {}) as Record<string, JsonSchema>);
      for (const name of (schema.required ?? []) as string[]) if (!op.form.required.includes(name)) op.form.required.push(name);
    } else if (p.name !== undefined) {
      op.form.properties[p.name] = scalarSchema(p.type);
    }
  },
};
