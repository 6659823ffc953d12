// The precise half: instructions per request for every target and scenario. Each count runs
// its own server under valgrind (slow: about a minute for fastify, several for NestJS), so a
// few run side by side. Counts rise when the machine is busy (the client keeps fewer requests
// in flight, so the server batches less), never fall: with --instr-repeat the least is kept.
import type { Scenario } from '../scenarios.js';
import { baselineId, supports, type Target } from '../target-registry.js';
import { countInstructions } from './instr.js';
import { cellKey, type InstrResults } from './results.js';

export interface InstrRunOptions {
  tool: string;
  warmup: number;
  requests: number;
  jobs: number;
  /** Counts per cell of the other targets. */
  repeat: number;
  /** Counts per cell of raw fastify and Cello, whose ratio is the verdict. */
  keyRepeat: number;
  log: (line: string) => void;
}

// On a busy machine a NestJS target under valgrind can miss the tool's 180 s start-up limit:
// one more try before the cell is reported as failed.
async function countOnce(t: Target, s: Scenario, options: InstrRunOptions) {
  try {
    return await countInstructions(t, s, options);
  } catch (e) {
    options.log(`${t.label} ${s.id}: retrying after ${(e as Error).message.split('\n')[0]}`);
    return countInstructions(t, s, options);
  }
}

export async function runInstrPhase(targets: readonly Target[], scenarios: readonly Scenario[], options: InstrRunOptions): Promise<InstrResults> {
  const results: InstrResults = { warmup: options.warmup, requests: options.requests, repeat: options.repeat, keyRepeat: options.keyRepeat, cells: new Map(), runs: new Map(), failures: new Map() };
  // Raw fastify and Cello first within each scenario, so with two jobs the pair whose ratio is
  // the verdict is counted side by side, under the same conditions.
  const key = (t: Target) => t.id === baselineId || t.id === 'cello';
  const ordered = [...targets.filter(key), ...targets.filter((t) => !key(t))];
  const queue = scenarios.flatMap((s) => ordered.filter((t) => supports(t, s.id)).map((t) => ({ t, s })));
  const total = queue.length;
  let finished = 0;
  const log = (line: string) => options.log(`[${++finished}/${total}] ${line}`);

  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const { t, s } = job;
      const cell = cellKey(t.id, s.id);
      try {
        const counts: number[] = [];
        for (let i = 0; i < Math.max(1, key(t) ? options.keyRepeat : options.repeat); i++) {
          const r = await countOnce(t, s, options);
          const wrong = Object.entries(r.statuses).filter(([status]) => Number(status) !== s.expect.status);
          if (wrong.length) throw new Error(`answered ${wrong.map(([status, n]) => `${n} × ${status}`).join(', ')} instead of ${s.expect.status}`);
          counts.push(r.instructionsPerRequest);
        }
        results.cells.set(cell, Math.min(...counts));
        results.runs.set(cell, counts);
        log(`${t.label} ${s.id}: ${counts.map((n) => n.toLocaleString('en-US')).join(', ')} instructions/request`);
      } catch (e) {
        results.failures.set(cell, (e as Error).message);
        log(`${t.label} ${s.id}: FAILED ${(e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));
  return results;
}
