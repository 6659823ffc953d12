import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { celloDependencies, type DependencySource } from '../local-packages.js';
import { assertProjectName } from '../names.js';
import { canAsk, Questions } from '../prompt.js';
import { findMonorepoRoot } from '../project-root.js';
import { listTemplates, outputName, renderFile, templatesDir } from '../templates.js';
import { writeNewFiles, type PlannedFile } from '../write-files.js';

interface NewOptions {
  link?: boolean;
  pack?: boolean;
  install?: boolean;
  yes?: boolean;
}

const installArgs = ['install', '--prefer-offline', '--no-audit', '--no-fund'];

export function newCommand(): Command {
  return new Command('new')
    .description('create a project: an app with a controller, a service, a DTO, a guard and tests')
    .argument('<name>', 'the folder and package name, e.g. my-app')
    .option('--link', 'inside the Cello monorepo: depend on its packages through file: links (the default there)')
    .option('--pack', 'inside the Cello monorepo: depend on `npm pack` tarballs of its packages, copied to vendor/')
    .option('--install', 'run npm install when the files are written (the default)')
    .option('--no-install', 'only write the files')
    .option('-y, --yes', 'use the defaults for every question')
    .addHelpText('after', `
Nothing is asked when stdin is not a terminal: the defaults apply, as with --yes.
Outside the monorepo the project depends on @cello packages from the npm registry, which
has no release yet: run the cello built in a checkout, with --pack, for a project of its own.

Example:
  cello new my-app && cd my-app && npm run dev`)
    .action((name: string, options: NewOptions) => createProject(name, options));
}

async function createProject(name: string, options: NewOptions): Promise<void> {
  assertProjectName(name);
  const target = resolve(process.cwd(), name);
  assertEmptyFolder(target, name);
  if (options.link && options.pack) throw new CliError('--link and --pack exclude each other: pick one.');

  // The checkout this cello runs from, else the one the project is created in.
  const monorepo = findMonorepoRoot(dirname(realpathSync(__dirname))) ?? findMonorepoRoot(process.cwd());
  if (monorepo === undefined && (options.link || options.pack)) {
    throw new CliError('--link and --pack need the Cello monorepo: run the cello built in a checkout of it.');
  }
  const questions = canAsk() && !options.yes ? new Questions() : undefined;
  let source: DependencySource;
  let install: boolean;
  try {
    source = await chooseSource(options, monorepo, questions);
    install = options.install ?? (questions ? (await questions.ask('Install dependencies now?', ['yes', 'no'], 'yes')) === 'yes' : true);
  } finally {
    questions?.close();
  }

  const created = !existsSync(target);
  mkdirSync(target, { recursive: true });
  try {
    const deps = celloDependencies(source, target, monorepo);
    writeNewFiles(target, projectFiles({
      name,
      coreDependency: deps.core,
      cliDependency: deps.cli,
      classTransformerDependency: deps.peers['class-transformer'],
      classValidatorDependency: deps.peers['class-validator'],
      reflectMetadataDependency: deps.peers['reflect-metadata'],
      tsyringeDependency: deps.peers.tsyringe,
    }));
  } catch (err) {
    // Leave no half-made project behind; a folder that was already there (empty) stays.
    if (created) rmSync(target, { recursive: true, force: true });
    throw err;
  }
  const from = source === 'registry' ? 'the published @cello packages' : `${source === 'link' ? 'file: links to' : 'tarballs packed from'} ${monorepo}`;
  console.log(`Created ${name}/ (@cello/core from ${from}).`);
  if (source === 'registry') {
    console.log('Note: @cello/core has no release on the npm registry yet, so npm install fails; make the project with the cello of a Cello checkout and --pack instead.');
  }

  if (install) {
    console.log(`Running npm ${installArgs.join(' ')} ...`);
    const result = spawnSync('npm', installArgs, { cwd: target, stdio: 'inherit', shell: process.platform === 'win32' });
    if (result.status !== 0) {
      throw new CliError(`npm install failed in ${name}/; the files are written: fix the cause above and run \`npm install\` there.`);
    }
  }
  console.log(`
Next:
  cd ${name}${install ? '' : '\n  npm install'}
  npm run dev      # serves http://127.0.0.1:3000/items and restarts on change
  npm test`);
}

async function chooseSource(options: NewOptions, monorepo: string | undefined, questions: Questions | undefined): Promise<DependencySource> {
  if (monorepo === undefined) return 'registry';
  if (options.pack) return 'pack';
  if (options.link || questions === undefined) return 'link';
  return (await questions.ask(`Use the Cello packages of ${monorepo} as`, ['link', 'pack'], 'link')) as DependencySource;
}

function assertEmptyFolder(target: string, name: string): void {
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory() || readdirSync(target).length > 0) {
    throw new CliError(`${name} already exists and is not an empty folder: choose another name or remove it.`);
  }
}

function projectFiles(vars: Record<string, string>): PlannedFile[] {
  const dir = join(templatesDir, 'project');
  return listTemplates(dir).map((path) => ({ path: outputName(path), content: renderFile(join(dir, path), vars) }));
}
