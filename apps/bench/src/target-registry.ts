// The servers under test. Each is a program in targets/ serving every scenario it supports
// on 127.0.0.1:$PORT; a scenario it cannot serve yet is listed in `unsupported` with the reason,
// and the report shows that reason instead of a number.
import { join } from 'node:path';
import { distDir } from './paths.js';
import type { ScenarioId } from './scenarios.js';

export type TargetId = 'node-http' | 'fastify' | 'cello' | 'nest-fastify' | 'nest-express';

export interface Target {
  id: TargetId;
  label: string;
  /** The built program (always dist/: targets run without a TypeScript loader). */
  entry: string;
  unsupported: Partial<Record<ScenarioId, string>>;
  /** Runs on the bench peers (apps/bench/peers: `npm run bench:install`). */
  needsPeers?: true;
}

/** Every ratio in the report is taken against this target. */
export const baselineId: TargetId = 'fastify';

const entry = (id: TargetId) => join(distDir, 'targets', `${id}.js`);

export const targets: readonly Target[] = [
  { id: 'node-http', label: 'node:http', entry: entry('node-http'), unsupported: {} },
  { id: 'fastify', label: 'raw fastify', entry: entry('fastify'), unsupported: {} },
  {
    id: 'cello',
    label: 'Cello',
    entry: entry('cello'),
    unsupported: {},
  },
  {
    id: 'nest-fastify',
    label: 'NestJS (fastify)',
    entry: entry('nest-fastify'),
    unsupported: {},
    needsPeers: true,
  },
  {
    id: 'nest-express',
    label: 'NestJS (express)',
    entry: entry('nest-express'),
    unsupported: {},
    needsPeers: true,
  },
];

export function supports(target: Target, scenario: ScenarioId): boolean {
  return target.unsupported[scenario] === undefined;
}
