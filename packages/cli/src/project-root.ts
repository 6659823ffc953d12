import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest folder at or above `start` with a package.json, or undefined. */
export function findProjectRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The Cello monorepo containing `start`, if any: a package.json with `workspaces` whose
 * `packages/core` is `@cello/core`. Projects created from a checkout link to its packages.
 */
export function findMonorepoRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isMonorepoRoot(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function isMonorepoRoot(dir: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { workspaces?: unknown };
    const workspaces = Array.isArray(pkg.workspaces) ? pkg.workspaces : (pkg.workspaces as { packages?: unknown } | undefined)?.packages;
    if (!Array.isArray(workspaces) || !workspaces.some((w) => w === 'packages/*' || w === 'packages/core')) return false;
    const core = JSON.parse(readFileSync(join(dir, 'packages', 'core', 'package.json'), 'utf8')) as { name?: string };
    return core.name === '@cello/core';
  } catch {
    return false;
  }
}
