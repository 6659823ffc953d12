import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, sep } from 'node:path';
import { CliError } from './cli-error.js';
import { ownPackage } from './own-package.js';

/** Where a new project gets @cello/core and @cello/cli from. */
export type DependencySource = 'link' | 'pack' | 'registry';

export interface CelloDependencies {
  core: string;
  cli: string;
  /** The libraries the app and @cello/core must share (its peer dependencies), by name. */
  peers: Record<PeerName, string>;
}

/**
 * @cello/core's peer dependencies and their ranges (as in its package.json; a test keeps the
 * two equal). The app's decorators write metadata into these libraries and Cello reads it
 * back, so both must load the same copy: class-transformer keeps its registry per copy, and
 * tsyringe its container.
 */
export const peerRanges = {
  'class-transformer': '^0.5.1',
  'class-validator': '^0.15.1',
  'reflect-metadata': '^0.2.2',
  tsyringe: '^4.10.0',
} as const;

export type PeerName = keyof typeof peerRanges;

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
    return { core: range, cli: range, peers: { ...peerRanges } };
  }
  const specs: Record<string, string> = {};
  for (const pkg of kPackages) {
    const dir = join(monorepo, 'packages', pkg.folder);
    if (!existsSync(join(dir, pkg.built))) {
      throw new CliError(`${join(dir, pkg.built)} is missing: run \`npm run build\` in ${monorepo} first.`);
    }
    specs[pkg.key] = source === 'link' ? `file:${linkPath(project, monorepo, dir)}` : `file:vendor/${packInto(dir, join(project, 'vendor'))}`;
  }
  // A linked @cello/core loads its imports from the checkout's node_modules (Node follows the
  // link to its real path), so the app must load the very same folders: linked too. Tarballs
  // install like the release, where npm gives the peers one copy at the top of node_modules.
  const core = join(monorepo, 'packages', 'core');
  const peers = { ...peerRanges } as Record<PeerName, string>;
  if (source === 'link') {
    for (const name of Object.keys(peerRanges) as PeerName[]) peers[name] = `file:${linkPath(project, monorepo, peerFolder(core, name))}`;
  }
  return { core: specs.core!, cli: specs.cli!, peers };
}

/** The folder of `name` that @cello/core at `coreDir` loads (its real path). */
function peerFolder(coreDir: string, name: string): string {
  const lookup = createRequire(join(coreDir, 'package.json')).resolve.paths(name) ?? [];
  for (const dir of lookup) {
    const folder = join(dir, name);
    if (existsSync(join(folder, 'package.json'))) return realpathSync(folder);
  }
  throw new CliError(`${name} is not installed for ${coreDir}: run \`npm install\` in the Cello checkout first.`);
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
