import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Argument, Command } from 'commander';
import { CliError } from '../cli-error.js';
import { toNames, type Names } from '../names.js';
import { findProjectRoot } from '../project-root.js';
import { registerController } from '../register-controller.js';
import { renderFile, templatesDir } from '../templates.js';
import { writeNewFiles, type PlannedFile } from '../write-files.js';

/** Each kind's folder under src/ (the test goes to tests/ with the same file name). */
const kinds = {
  controller: 'controllers',
  service: 'services',
  guard: 'guards',
  dto: 'dtos',
  middleware: 'middleware',
} as const;

type Kind = keyof typeof kinds;

const appModule = 'src/app.ts';

interface GenerateOptions {
  dryRun?: boolean;
}

export function generateCommand(): Command {
  return new Command('generate')
    .alias('g')
    .description('add a controller, service, guard, DTO or middleware, with its test')
    .addArgument(new Argument('<kind>', 'what to generate').choices(Object.keys(kinds)))
    .argument('<name>', 'e.g. user-profile, UserProfile or user_profile')
    .option('--dry-run', 'print the files it would write, and write nothing')
    .addHelpText('after', `
Files go to src/<kind folder>/<name>.<kind>.ts and tests/<name>.<kind>.test.ts of the project
around the current folder. A controller is also added to \`controllers: [...]\` in ${appModule}.
Existing files are never overwritten.

Example:
  cello g controller user-profile   # UserProfileController in src/controllers/user-profile.controller.ts`)
    .action((kind: Kind, name: string, options: GenerateOptions) => generate(kind, name, options));
}

function generate(kind: Kind, name: string, options: GenerateOptions): void {
  const names = toNames(name, kind);
  const root = findProjectRoot(process.cwd());
  if (root === undefined) throw new CliError('no package.json here or above: run cello generate inside a project (see `cello new`).');

  const files = plannedFiles(kind, names);
  const appEdit = kind === 'controller' ? planRegistration(root, names) : undefined;

  if (options.dryRun) {
    for (const file of files) console.log(`would create ${file.path}:\n${indent(file.content)}`);
    if (appEdit?.content) console.log(`would update ${appModule}:\n${indent(appEdit.content)}`);
    else if (appEdit) console.log(appEdit.note);
    return;
  }
  writeNewFiles(root, files);
  for (const file of files) console.log(`created ${file.path}`);
  if (appEdit?.content) {
    writeFileSync(join(root, appModule), appEdit.content);
    console.log(`updated ${appModule} (${names.pascal}Controller added to controllers)`);
  } else if (appEdit) {
    console.log(appEdit.note);
  }
}

function plannedFiles(kind: Kind, names: Names): PlannedFile[] {
  const vars = { kebab: names.kebab, Pascal: names.pascal, camel: names.camel };
  const file = `${names.kebab}.${kind}`;
  return [
    { path: `src/${kinds[kind]}/${file}.ts`, content: renderFile(join(templatesDir, 'generate', `${kind}.ts.tpl`), vars) },
    { path: `tests/${file}.test.ts`, content: renderFile(join(templatesDir, 'generate', `${kind}.test.ts.tpl`), vars) },
  ];
}

interface AppEdit {
  content?: string;
  note: string;
}

function planRegistration(root: string, names: Names): AppEdit {
  const className = `${names.pascal}Controller`;
  const manual = `register it yourself: new App({ controllers: [..., ${className}] })`;
  const path = join(root, appModule);
  if (!existsSync(path)) return { note: `note: no ${appModule}; ${manual}.` };
  const source = readFileSync(path, 'utf8');
  const updated = registerController(source, className, `./controllers/${names.kebab}.controller.js`);
  if (updated === null) return { note: `note: no \`controllers: [...]\` in ${appModule}; ${manual}.` };
  return { content: updated, note: '' };
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '  ');
}
