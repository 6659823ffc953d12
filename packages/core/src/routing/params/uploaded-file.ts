import type { UploadedFile } from '../../decorators/uploaded-file.js';
import { formDependency } from '../../files/multipart-plan.js';
import type { ParsedForm } from '../../files/multipart-reader.js';
import type { JsonSchema } from '../../validation/dto-schema.js';
import { validationFailed } from '../../validation/validation-error.js';
import type { ParamKindSpec } from './param-kind.js';

/** A file field in a multipart/form-data schema (OpenAPI 3.1; `format: binary` for Swagger UI). */
export const fileSchema: JsonSchema = { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' };

function pick(form: ParsedForm, name: string, required: boolean): UploadedFile | undefined {
  const file = form.files.find((f) => f.fieldname === name);
  if (file === undefined && required) throw validationFailed([{ path: name, messages: [`${name} is required`] }]);
  return file;
}

/** `@UploadedFile('avatar') file: UploadedFile`: the file of one multipart field. */
export const uploadedFileParam: ParamKindSpec = {
  kind: 'file',
  bind(p, runtime, route) {
    const dep = formDependency(route, runtime);
    const name = p.name!;
    const required = (p.options as { required?: boolean } | undefined)?.required !== false;
    return { bind: (ctx) => ctx!.resolve(dep).then((form) => pick(form, name, required)), isAsync: true, needsContext: true };
  },
  describe(p, op) {
    op.form.used = true;
    op.form.properties[p.name!] = fileSchema;
    if ((p.options as { required?: boolean } | undefined)?.required !== false) {
      op.form.required.push(p.name!);
      op.canFailValidation = true;
    }
  },
};
