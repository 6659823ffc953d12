// The timed half: startup times, correctness checks, then load in interleaved rounds
// (A B C D E, A B C D E, ...) so that a noisy minute on the shared machine hits every target
// alike, and medians over rounds.
import type { Scenario } from '../scenarios.js';
import { supports, type Target, type TargetId } from '../target-registry.js';
import { checkScenario } from './check-scenarios.js';
import { loadRunner } from './load-runner.js';
import { cellKey, type LoadResults, type LoadSettings } from './results.js';
import { startTarget, type RunningTarget } from './spawn-target.js';

export interface LoadRunOptions extends LoadSettings {
  startupRounds: number;
  log: (line: string) => void;
}

export async function runLoadPhase(targets: readonly Target[], scenarios: readonly Scenario[], options: LoadRunOptions): Promise<LoadResults> {
  const { log } = options;
  const runLoad = loadRunner();
  const results: LoadResults = {
    settings: { rounds: options.rounds, seconds: options.seconds, warmupSeconds: options.warmupSeconds, connections: options.connections },
    startupMs: new Map(),
    rssAfterLoad: new Map(),
    cells: new Map(),
    failures: new Map(),
  };
  const startup = (id: TargetId, ms: number) => {
    const list = results.startupMs.get(id) ?? [];
    list.push(ms);
    results.startupMs.set(id, list);
  };

  // Cold starts one at a time, so two targets never compete for the cores while booting.
  for (let round = 1; round <= options.startupRounds; round++) {
    for (const target of targets) {
      if (results.failures.has(target.id)) continue;
      try {
        const running = await startTarget(target);
        startup(target.id, running.startupMs);
        await running.stop();
      } catch (e) {
        results.failures.set(target.id, (e as Error).message);
        log(`  ${target.label} failed to start: ${(e as Error).message}`);
      }
    }
    log(`startup round ${round}/${options.startupRounds} done`);
  }

  const running: RunningTarget[] = [];
  try {
    for (const target of targets) {
      if (results.failures.has(target.id)) continue;
      try {
        const r = await startTarget(target);
        startup(target.id, r.startupMs);
        running.push(r);
      } catch (e) {
        results.failures.set(target.id, (e as Error).message);
        log(`  ${target.label} failed to start: ${(e as Error).message}`);
      }
    }

    // Correctness first: a wrong answer is never timed.
    const timed: { r: RunningTarget; s: Scenario }[][] = scenarios.map(() => []);
    for (const r of running) {
      for (const [i, s] of scenarios.entries()) {
        if (!supports(r.target, s.id)) continue;
        const problems = await checkScenario(r.port, s).catch((e: Error) => [e.message]);
        if (problems.length) {
          results.failures.set(cellKey(r.target.id, s.id), problems.join('; '));
          log(`  ${r.target.label} ${s.id} answers wrongly, not timed:\n    ${problems.join('\n    ')}`);
        } else {
          timed[i]!.push({ r, s });
        }
      }
    }

    const segment = async (r: RunningTarget, s: Scenario, seconds: number, record: boolean) => {
      const result = await runLoad(r.port, s.request, { seconds, connections: options.connections });
      results.rssAfterLoad.set(r.target.id, r.rss());
      if (!record) return;
      const key = cellKey(r.target.id, s.id);
      const cell = results.cells.get(key) ?? { requestsPerSecond: [], p99Ms: [], bad: 0 };
      cell.requestsPerSecond.push(result.requestsPerSecond);
      cell.p99Ms.push(result.p99Ms);
      cell.bad += result.bad;
      results.cells.set(key, cell);
    };

    if (options.warmupSeconds > 0) {
      for (const cells of timed) for (const { r, s } of cells) await segment(r, s, options.warmupSeconds, false);
      log(`warm-up done (${options.warmupSeconds} s per target and scenario)`);
    }
    for (let round = 1; round <= options.rounds; round++) {
      for (const cells of timed) for (const { r, s } of cells) await segment(r, s, options.seconds, true);
      log(`load round ${round}/${options.rounds} done`);
    }
  } finally {
    await Promise.all(running.map((r) => r.stop()));
  }
  return results;
}
