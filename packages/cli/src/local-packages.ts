import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { CliError } from './cli-error.js';
import { ownPackage } from './own-package.js';

/** Where a new project gets @cello/core and @cello/cli from. */
export type DependencySource = 'link' | 'pack' | 'registry';

export interface CelloDependencies {
  core: string;
  cli: string;
}

const kPackages = [
  { key: 'core', folder: 'core', built: 'dist/index.js' },
  { key: 'cli', folder: 'cli', built: 'dist/cli.js' },
] as const;

/**
 * The dependency specs for @cello/core and @cello/cli. `link`: `file:` links into the monorepo,
 * so a rebuild there shows up at once. `pack`: tarballs from `npm pack` in `vendor/`, installed
 * like the published packages (their own copies of peer deps included). `registry`: the release.
 */
export function celloDependencies(source: DependencySource, project: string, monorepo: string | undefined): CelloDependencies {
  if (source === 'registry' || monorepo === undefined) {
    const range = `^${ownPackage.version}`;
    return { core: range, cli: range };
  }
  const specs: Record<string, string> = {};
  for (const pkg of kPackages) {
    const dir = join(monorepo, 'packages', pkg.folder);
    if (!existsSync(join(dir, pkg.built))) {
      throw new CliError(`${join(dir, pkg.built)} is missing: run \`npm run build\` in ${monorepo} first.`);
    }
    specs[pkg.key] = source === 'link' ? `file:${linkPath(project, monorepo, dir)}` : `file:vendor/${packInto(dir, join(project, 'vendor'))}`;
  }
  return { core: specs.core!, cli: specs.cli! };
}

function packInto(dir: string, destination: string): string {
  mkdirSync(destination, { recursive: true });
  try {
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    const [info] = JSON.parse(out) as Array<{ filename: string }>;
    return info!.filename;
  } catch (err) {
    throw new CliError(`npm pack failed in ${dir}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Relative inside the checkout (so it survives a move of the whole tree), absolute from elsewhere. */
function linkPath(project: string, monorepo: string, dir: string): string {
  const inside = !relative(monorepo, project).startsWith('..') && !isAbsolute(relative(monorepo, project));
  return (inside ? relative(project, dir) : dir).split(sep).join('/');
}
