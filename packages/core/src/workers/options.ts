import { availableParallelism } from 'node:os';
import { celloError } from '../errors/cello-error.js';

/** `listen({ workers })`: a number of worker processes, or `'auto'` for one per CPU. */
export type WorkersOption = number | 'auto';

/**
 * Set by `cello start --workers n`; used in place of the `workers` option so the same entry runs
 * alone or as a cluster without a code change.
 */
export const workersEnv = 'CELLO_WORKERS';

/** How many workers to run, or undefined for none (serve in this process). */
export function workerCount(option: WorkersOption | undefined, env: string | undefined = process.env[workersEnv]): number | undefined {
  if (env !== undefined && env !== '') return parse(env, `${workersEnv}=${env}`);
  if (option === undefined) return undefined;
  return parse(option, `listen({ workers: ${typeof option === 'string' ? `'${option}'` : String(option)} })`);
}

function parse(value: unknown, where: string): number {
  if (value === 'auto') return availableParallelism();
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw celloError('CELLO_ERR_WORKERS_INVALID', [where]);
  return n;
}
