// The precise half: instructions per request for every target and scenario. Each count runs
// its own server under valgrind (slow: about a minute for fastify, several for NestJS), so a
// few run side by side. Counts rise when the machine is busy (the client keeps fewer requests
// in flight, so the server batches less), never fall: with --instr-repeat the least is kept.
import type { Scenario } from '../scenarios.js';
import { supports, type Target } from '../target-registry.js';
import { countInstructions } from './instr.js';
import { cellKey, type InstrResults } from './results.js';

export interface InstrRunOptions {
  tool: string;
  warmup: number;
  requests: number;
  jobs: number;
  repeat: number;
  log: (line: string) => void;
}

export async function runInstrPhase(targets: readonly Target[], scenarios: readonly Scenario[], options: InstrRunOptions): Promise<InstrResults> {
  const results: InstrResults = { warmup: options.warmup, requests: options.requests, repeat: options.repeat, cells: new Map(), failures: new Map() };
  const queue = scenarios.flatMap((s) => targets.filter((t) => supports(t, s.id)).map((t) => ({ t, s })));
  const total = queue.length;
  let finished = 0;
  const log = (line: string) => options.log(`[${++finished}/${total}] ${line}`);

  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const { t, s } = job;
      const key = cellKey(t.id, s.id);
      try {
        const counts: number[] = [];
        for (let i = 0; i < Math.max(1, options.repeat); i++) {
          const r = await countInstructions(t, s, options);
          const wrong = Object.entries(r.statuses).filter(([status]) => Number(status) !== s.expect.status);
          if (wrong.length) throw new Error(`answered ${wrong.map(([status, n]) => `${n} × ${status}`).join(', ')} instead of ${s.expect.status}`);
          counts.push(r.instructionsPerRequest);
        }
        results.cells.set(key, Math.min(...counts));
        log(`${t.label} ${s.id}: ${counts.map((n) => n.toLocaleString('en-US')).join(', ')} instructions/request`);
      } catch (e) {
        results.failures.set(key, (e as Error).message);
        log(`${t.label} ${s.id}: FAILED ${(e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));
  return results;
}
