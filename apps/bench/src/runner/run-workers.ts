// `--only-workers`: Cello's target as one process against the same program run with
// listen({ workers: n }) (through CELLO_WORKERS, which listen() reads), in interleaved rounds
// like the load phase, so a noisy minute on the shared machine hits both alike.
import { loadavg } from 'node:os';
import type { Scenario, ScenarioId } from '../scenarios.js';
import { targets } from '../target-registry.js';
import { checkScenario } from './check-scenarios.js';
import { runLoad } from './load.js';
import type { LoadSettings } from './results.js';
import { startTarget, type RunningTarget } from './spawn-target.js';
import { median } from './stats.js';

export interface WorkersRunOptions extends LoadSettings {
  workers: number;
  log: (line: string) => void;
}

export interface WorkersCell {
  scenario: ScenarioId;
  title: string;
  single: number[];
  cluster: number[];
  bad: number;
}

export interface WorkersResults {
  settings: LoadSettings & { workers: number };
  cells: WorkersCell[];
  /** The 1-minute load average before and after: other work on the machine shows here. */
  loadAverage: [number, number];
}

export async function runWorkersPhase(scenarios: readonly Scenario[], options: WorkersRunOptions): Promise<WorkersResults> {
  const cello = targets.find((t) => t.id === 'cello')!;
  const { log } = options;
  const loadBefore = loadavg()[0]!;
  const running: RunningTarget[] = [];
  try {
    const single = await startTarget(cello);
    running.push(single);
    const cluster = await startTarget(cello, { env: { CELLO_WORKERS: String(options.workers) }, gracefulStop: true });
    running.push(cluster);
    for (const s of scenarios) {
      for (const r of running) {
        const problems = await checkScenario(r.port, s);
        if (problems.length) throw new Error(`Cello ${r === single ? 'alone' : 'with workers'} answers ${s.id} wrongly:\n  ${problems.join('\n  ')}`);
      }
    }
    const cells: WorkersCell[] = scenarios.map((s) => ({ scenario: s.id, title: s.title, single: [], cluster: [], bad: 0 }));
    const segment = async (r: RunningTarget, s: Scenario, seconds: number, into: number[] | null, cell: WorkersCell) => {
      const result = await runLoad(r.port, s.request, { seconds, connections: options.connections });
      if (into === null) return;
      into.push(result.requestsPerSecond);
      cell.bad += result.bad;
    };
    for (const [i, s] of scenarios.entries()) {
      const cell = cells[i]!;
      if (options.warmupSeconds > 0) {
        await segment(single, s, options.warmupSeconds, null, cell);
        await segment(cluster, s, options.warmupSeconds, null, cell);
      }
      for (let round = 1; round <= options.rounds; round++) {
        await segment(single, s, options.seconds, cell.single, cell);
        await segment(cluster, s, options.seconds, cell.cluster, cell);
        log(`workers: ${s.id} round ${round}/${options.rounds}: ${Math.round(cell.single.at(-1)!)} req/s alone, ${Math.round(cell.cluster.at(-1)!)} req/s with ${options.workers} workers`);
      }
    }
    return { settings: { rounds: options.rounds, seconds: options.seconds, warmupSeconds: options.warmupSeconds, connections: options.connections, workers: options.workers }, cells, loadAverage: [loadBefore, loadavg()[0]!] };
  } finally {
    await Promise.all(running.map((r) => r.stop()));
  }
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** The markdown block for BENCHMARKS.md. */
export function workersSection(results: WorkersResults, cores: number, date: string): string {
  const { settings } = results;
  const lines = [
    `Measured ${date}: Cello's target (\`targets/cello.ts\`) alone and with \`workers: ${settings.workers}\`, ` +
      `${settings.rounds} interleaved rounds of ${settings.seconds} s after ${settings.warmupSeconds} s of warm-up, ` +
      `autocannon with ${settings.connections} connections; medians. **The load generator runs on the same ${cores} cores** ` +
      `(autocannon in the runner's process, about one core of its own), so ${settings.workers} workers compete with it ` +
      'for the CPU: the ratio is what this machine allows, not what workers give on a machine with cores to spare. ' +
      `Load average (1 min) ${results.loadAverage[0].toFixed(1)} before and ${results.loadAverage[1].toFixed(1)} after the run.`,
    '',
    `| scenario | 1 process, req/s | ${settings.workers} workers, req/s | ratio |`,
    '| --- | --: | --: | --: |',
  ];
  for (const cell of results.cells) {
    const single = median(cell.single);
    const cluster = median(cell.cluster);
    lines.push(`| ${cell.title} | ${int(single)} | ${int(cluster)} | ${(cluster / single).toFixed(2)}x${cell.bad ? ` (${cell.bad} bad answers)` : ''} |`);
  }
  return lines.join('\n');
}
