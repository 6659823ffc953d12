// Instructions per request under callgrind, through the shared tool: counts repeat to about 1%
// where req/s on these shared machines swings by half, so they decide when the two disagree.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../paths.js';
import type { Scenario } from '../scenarios.js';
import type { Target } from '../target-registry.js';
import { targetEnv } from './spawn-target.js';

/** The tool lives in the shared folder beside the repository (CI lays it out the same way). */
export const defaultInstrTool = resolve(repoRoot, '../shared/tools/instr-per-request.mjs');

export interface InstrOptions {
  tool: string;
  warmup?: number;
  requests?: number;
}

export interface InstrResult {
  instructionsPerRequest: number;
  statuses: Record<string, number>;
}

export function instrToolProblem(tool: string): string | null {
  if (!existsSync(tool)) return `instr-per-request.mjs not found at ${tool} (pass --instr-tool)`;
  if (!['/usr/bin/valgrind', '/usr/bin/valgrind.bin'].some((p) => existsSync(p))) return 'valgrind is not installed (apt-get install valgrind)';
  return null;
}

export function countInstructions(target: Target, scenario: Scenario, options: InstrOptions): Promise<InstrResult> {
  const req = scenario.request;
  const args = [options.tool, '--path', req.path, '--method', req.method];
  if (req.body !== undefined) args.push('--body', req.body);
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    // The tool adds content-type itself for a body.
    if (name !== 'content-type') args.push('--header', `${name}: ${value}`);
  }
  if (options.warmup !== undefined) args.push('--warmup', String(options.warmup));
  if (options.requests !== undefined) args.push('--requests', String(options.requests));
  args.push('--', process.execPath, target.entry);

  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: targetEnv(target, process.env) });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err = (err + d).slice(-3000); });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        const parsed = JSON.parse(line) as InstrResult;
        resolvePromise({ instructionsPerRequest: parsed.instructionsPerRequest, statuses: parsed.statuses });
      } catch (e) {
        reject(new Error(`instr-per-request failed for ${target.label} ${scenario.id} (${(e as Error).message}):\n${err}${out}`));
      }
    });
  });
}
