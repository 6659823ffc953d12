import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** `packages/cli/templates`, next to `dist/` both in the repo and in the published package. */
export const templatesDir = join(__dirname, '..', 'templates');

export type TemplateVars = Readonly<Record<string, string>>;

/** Replaces `{{key}}`; an unknown key is a bug in the template, so it throws rather than leaving `{{key}}` in a user's file. */
export function render(text: string, vars: TemplateVars, source: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new Error(`Template ${source} uses {{${key}}}, which has no value`);
    return value;
  });
}

export function renderFile(path: string, vars: TemplateVars): string {
  return render(readFileSync(path, 'utf8'), vars, path);
}

/**
 * Templates are stored as `name.tpl` so that neither tsc, jest nor npm treats them as the
 * repository's own files; `_gitignore` stands for `.gitignore`, which `npm pack` would drop.
 */
export function outputName(templatePath: string): string {
  return templatePath.replace(/\.tpl$/, '').replace(/(^|\/)_gitignore$/, '$1.gitignore');
}

/** Every template under `dir`, as paths relative to it (with `/`), sorted. */
export function listTemplates(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.tpl')) out.push(relative(dir, full).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
