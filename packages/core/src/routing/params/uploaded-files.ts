import type { UploadedFile } from '../../decorators/uploaded-file.js';
import { formDependency } from '../../files/multipart-plan.js';
import type { ParsedForm } from '../../files/multipart-reader.js';
import type { ParamKindSpec } from './param-kind.js';
import { fileSchema } from './uploaded-file.js';

function allFiles(form: ParsedForm): UploadedFile[] {
  return form.files;
}

/** `@UploadedFiles('photos') photos: UploadedFile[]`: the files of one field, or of every field. */
export const uploadedFilesParam: ParamKindSpec = {
  kind: 'files',
  bind(p, runtime, route) {
    const dep = formDependency(route, runtime);
    const name = p.name;
    const select = name === undefined ? allFiles : (form: ParsedForm) => form.files.filter((f) => f.fieldname === name);
    return { bind: (ctx) => ctx!.resolve(dep).then(select), isAsync: true, needsContext: true };
  },
  describe(p, op) {
    op.form.used = true;
    if (p.name !== undefined) op.form.properties[p.name] = { type: 'array', items: fileSchema };
  },
};
