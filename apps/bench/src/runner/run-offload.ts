// `npm run bench -- --only-offload`: the latency of GET /hello while other clients keep a
// CPU-bound route busy (about 20 ms of CPU per call, calibrated on this machine), with that
// route on the event loop and with @Offload() on a worker thread. The clients run in this
// process; rounds alternate the two servers so a noisy minute hits both alike; medians.
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { calibrate } from '../fixtures/cpu-work.js';
import { distDir } from '../paths.js';
import { startTarget, type RunningTarget, type Startable } from './spawn-target.js';
import { median } from './stats.js';

export type OffloadMode = 'inline' | 'offload';

export const offloadTarget: Startable = { label: 'Cello (offload bench)', entry: join(distDir, 'targets', 'offload-cello.js') };

export interface OffloadBenchSettings {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  /** CPU per call of GET /work, in ms. */
  workMs: number;
  /** Clients calling GET /work back to back. */
  workClients: number;
  log: (line: string) => void;
}

interface ModeRuns {
  helloP50: number[];
  helloP99: number[];
  helloRate: number[];
  workRate: number[];
  bad: number;
}

export interface OffloadBenchResults {
  settings: Omit<OffloadBenchSettings, 'log'>;
  /** spin() rounds per GET /work. */
  workRounds: number;
  modes: Record<OffloadMode, ModeRuns>;
  loadAverage: [number, number];
}

interface LoopResult {
  count: number;
  bad: number;
  latencies: number[];
}

/** One client sending GET `path` back to back on one kept-alive connection until `until`. */
async function loop(port: number, path: string, until: number): Promise<LoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const out: LoopResult = { count: 0, bad: 0, latencies: [] };
  try {
    while (Date.now() < until) {
      const start = process.hrtime.bigint();
      const status = await new Promise<number>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', () => resolve(0));
        });
        req.on('error', () => resolve(0));
        req.end();
      });
      out.latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      out.count++;
      if (status !== 200) out.bad++;
    }
  } finally {
    agent.destroy();
  }
  return out;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

async function segment(port: number, workPath: string, settings: OffloadBenchSettings, seconds: number) {
  const until = Date.now() + seconds * 1000;
  const [hello, ...work] = await Promise.all([
    loop(port, '/hello', until),
    ...Array.from({ length: settings.workClients }, () => loop(port, workPath, until)),
  ]);
  const sorted = [...hello!.latencies].sort((a, b) => a - b);
  return {
    helloP50: percentile(sorted, 0.5),
    helloP99: percentile(sorted, 0.99),
    helloRate: hello!.count / seconds,
    workRate: work.reduce((n, w) => n + w.count, 0) / seconds,
    bad: hello!.bad + work.reduce((n, w) => n + w.bad, 0),
  };
}

export async function runOffloadPhase(settings: OffloadBenchSettings): Promise<OffloadBenchResults> {
  const { log, ...rest } = settings;
  const loadBefore = loadavg()[0]!;
  const workRounds = calibrate(settings.workMs);
  log(`offload: GET /work?rounds=${workRounds} (about ${settings.workMs} ms of CPU here), ${settings.workClients} clients; GET /hello from one client meanwhile`);
  const workPath = `/work?rounds=${workRounds}`;
  const modes: Record<OffloadMode, ModeRuns> = {
    inline: { helloP50: [], helloP99: [], helloRate: [], workRate: [], bad: 0 },
    offload: { helloP50: [], helloP99: [], helloRate: [], workRate: [], bad: 0 },
  };
  const running = new Map<OffloadMode, RunningTarget<Startable>>();
  try {
    running.set('inline', await startTarget(offloadTarget, { env: { CELLO_BENCH_OFFLOAD: '0' } }));
    running.set('offload', await startTarget(offloadTarget, { env: { CELLO_BENCH_OFFLOAD: '1' }, gracefulStop: true }));
    for (const [mode, r] of running) if (settings.warmupSeconds > 0) modes[mode].bad += (await segment(r.port, workPath, settings, settings.warmupSeconds)).bad;
    for (let round = 1; round <= settings.rounds; round++) {
      for (const [mode, r] of running) {
        const s = await segment(r.port, workPath, settings, settings.seconds);
        const m = modes[mode];
        m.helloP50.push(s.helloP50);
        m.helloP99.push(s.helloP99);
        m.helloRate.push(s.helloRate);
        m.workRate.push(s.workRate);
        m.bad += s.bad;
        log(`  round ${round}/${settings.rounds} ${mode === 'inline' ? 'on the event loop' : '@Offload'}: /hello p99 ${s.helloP99.toFixed(1)} ms (p50 ${s.helloP50.toFixed(1)}), ${Math.round(s.helloRate)} /hello/s, ${s.workRate.toFixed(1)} /work/s`);
      }
    }
  } finally {
    await Promise.all([...running.values()].map((r) => r.stop()));
  }
  return { settings: rest, workRounds, modes, loadAverage: [loadBefore, loadavg()[0]!] };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** The offload block of BENCHMARKS.md. */
export function offloadSection(results: OffloadBenchResults, cores: number, date: string): string {
  const s = results.settings;
  const rows = [
    `Measured ${date}: \`GET /work\` spends about ${s.workMs} ms of CPU per call (\`spin(${results.workRounds})\`, ` +
      `calibrated on this machine at the start of the run), called back to back by ${s.workClients} clients; meanwhile one ` +
      'client calls `GET /hello` back to back and its latency is recorded. The same Cello app with the route on the event ' +
      'loop, and with `@Offload()` on one worker thread (`offload: { maxThreads: 1 }`). ' +
      `${s.rounds} alternating rounds of ${s.seconds} s after ${s.warmupSeconds} s of warm-up; medians of the rounds. ` +
      `**The clients run on the same ${cores} cores**, and so did other work: load average (1 min) ` +
      `${results.loadAverage[0].toFixed(1)} before and ${results.loadAverage[1].toFixed(1)} after the run.`,
    '',
    '| `GET /work` runs | `/hello` p50 | `/hello` p99 | `/hello` req/s | `/work` req/s |',
    '| --- | --: | --: | --: | --: |',
  ];
  for (const [mode, label] of [['inline', 'on the event loop'], ['offload', 'with `@Offload()`']] as const) {
    const m = results.modes[mode];
    rows.push(`| ${label} | ${ms(median(m.helloP50))} | ${ms(median(m.helloP99))} | ${Math.round(median(m.helloRate)).toLocaleString('en-US')} | ${median(m.workRate).toFixed(1)}${m.bad ? ` (${m.bad} bad answers)` : ''} |`);
  }
  return rows.join('\n');
}
