// The bench's peers (apps/bench/peers): NestJS and autocannon, installed apart from the
// repository's dependencies by `npm run bench:install` (`npm run bench` does it when missing).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchRoot } from './paths.js';

export const peersDir = join(benchRoot, 'peers');
const peersModules = join(peersDir, 'node_modules');

export const peersHint = 'run `npm run bench:install` (installs NestJS, Express and autocannon into apps/bench/peers and builds the NestJS targets)';

/** The peers' packages that are not installed; empty when all are. */
export function missingPeers(): string[] {
  const { dependencies } = JSON.parse(readFileSync(join(peersDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  return Object.keys(dependencies).filter((name) => !existsSync(join(peersModules, name, 'package.json')));
}

/**
 * The environment a target that needs the peers runs with. The targets stay in src/targets with
 * the others, so Node finds the peers through NODE_PATH (looked at only after every node_modules
 * up the tree): NestJS itself then takes class-validator and reflect-metadata from the
 * repository, the same copies the targets' DTOs use.
 */
export function peersEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_PATH: env.NODE_PATH ? `${peersModules}:${env.NODE_PATH}` : peersModules };
}
