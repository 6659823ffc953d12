// `npm run bench:redis`: instructions per request of one rate-limited route, Cello against raw
// fastify with @fastify/rate-limit, each with its memory store and its Redis store. Only the
// app's process is counted (Redis's own work is the same for both: one script per request).
// Needs Redis at REDIS_URL (default redis://127.0.0.1:6379); writes the bench:redis block of
// BENCHMARKS.md.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchRoot, distDir } from './paths.js';
import { updateBenchmarksFile } from './runner/benchmarks-file.js';
import { countInstructions, defaultInstrTool, instrToolProblem } from './runner/instr.js';
import { currentCommit } from './runner/instr-store.js';
import { describeMachine } from './runner/machine.js';
import type { Scenario } from './scenarios.js';
import type { Target } from './target-registry.js';
import { rateLimit } from './fixtures/rate-limit.js';

const help = `usage: npm run bench:redis -- [flags]
  --repeat 2            counts per cell; the least is kept (a busy machine only adds)
  --stores memory,redis which stores to count (a run with only some prints, never writes)
  --sequential          one count at a time (a machine too busy to start two targets under valgrind)
  --instr-warmup 3000   requests before counting (JIT warm-up)
  --instr-requests 4000 requests counted
  --instr-tool PATH     instr-per-request.mjs (default ../shared/tools/ from the repo root)
  --no-write            print only; do not update BENCHMARKS.md`;

interface Cell { framework: 'cello' | 'fastify'; store: 'memory' | 'redis'; label: string }

const cells: readonly Cell[] = [
  { framework: 'fastify', store: 'memory', label: 'raw fastify + @fastify/rate-limit, memory' },
  { framework: 'fastify', store: 'redis', label: 'raw fastify + @fastify/rate-limit, Redis' },
  { framework: 'cello', store: 'memory', label: 'Cello, MemoryRateLimitStore' },
  { framework: 'cello', store: 'redis', label: 'Cello, RedisRateLimitStore' },
];

const scenario = {
  id: 'hello',
  title: 'rate-limited route',
  request: { method: 'GET', path: '/limited' },
  expect: { status: 200, body: { ok: true } },
  rejects: [],
  also: [],
  minRatio: 1,
} as unknown as Scenario;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<number> {
  const { values: o } = parseArgs({
    options: {
      repeat: { type: 'string', default: '2' },
      stores: { type: 'string', default: 'memory,redis' },
      sequential: { type: 'boolean', default: false },
      'instr-warmup': { type: 'string', default: '3000' },
      'instr-requests': { type: 'string', default: '4000' },
      'instr-tool': { type: 'string', default: defaultInstrTool },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (o.help) {
    console.log(help);
    return 0;
  }
  const problem = instrToolProblem(o['instr-tool']);
  if (problem) throw new Error(problem);
  const stores = o.stores.split(',').map((x) => x.trim());
  for (const store of stores) if (store !== 'memory' && store !== 'redis') throw new Error(`unknown store "${store}" (memory, redis)`);
  const counts = new Map<Cell, number[]>(cells.map((c) => [c, []]));
  const count = async (cell: Cell): Promise<void> => {
    const target = { id: cell.framework, label: cell.label, entry: join(distDir, 'targets', 'rate-limit', `${cell.framework}.js`), unsupported: {} } as Target;
    // The target inherits the environment, read when it is spawned (synchronously, below): this
    // picks its store.
    process.env.RATE_LIMIT_STORE = cell.store;
    const options = { tool: o['instr-tool'], warmup: Number(o['instr-warmup']), requests: Number(o['instr-requests']) };
    const running = countInstructions(target, scenario, options);
    delete process.env.RATE_LIMIT_STORE;
    const r = await running.catch((e: Error) => {
      // A busy machine can keep a target under valgrind past the tool's start-up limit: once more.
      console.error(`${cell.label}: retrying after ${e.message.split('\n')[0]}`);
      process.env.RATE_LIMIT_STORE = cell.store;
      const again = countInstructions(target, scenario, options);
      delete process.env.RATE_LIMIT_STORE;
      return again;
    });
    const wrong = Object.keys(r.statuses).filter((s) => s !== '200');
    if (wrong.length > 0) throw new Error(`${cell.label} answered ${JSON.stringify(r.statuses)}, not only 200`);
    counts.get(cell)!.push(r.instructionsPerRequest);
    console.error(`${cell.label}: ${fmt(r.instructionsPerRequest)} instructions/request`);
  };
  // Cello and fastify side by side on each store, so the pair whose ratio is the verdict is
  // counted under the same conditions (a busy machine adds instructions to both).
  for (let i = 0; i < Math.max(1, Number(o.repeat)); i++) {
    for (const store of stores) {
      const pair = cells.filter((c) => c.store === store);
      if (o.sequential) for (const cell of pair) await count(cell);
      else await Promise.all(pair.map(count));
    }
  }
  const counted = cells.filter((c) => counts.get(c)!.length > 0);
  const least = (c: Cell) => Math.min(...counts.get(c)!);
  const of = (framework: Cell['framework'], store: Cell['store']) => {
    const cell = counted.find((c) => c.framework === framework && c.store === store);
    return cell === undefined ? undefined : least(cell);
  };
  const celloRedis = of('cello', 'redis');
  const fastifyRedis = of('fastify', 'redis');
  const celloMemory = of('cello', 'memory');
  const fastifyMemory = of('fastify', 'memory');
  const machine = describeMachine();
  const lines = [
    `${machine.date} at ${currentCommit()}: one route, \`GET /limited\`, limited to ${rateLimit.max.toLocaleString('en-US')} requests per ${rateLimit.windowSeconds} s (never refused), Redis on the same host. CPU instructions per request of the app's process under callgrind (${o['instr-warmup']} warm-up requests, ${o['instr-requests']} counted, 16 in flight; ${o.sequential ? 'one count at a time' : 'Cello and fastify counted side by side on each store'}; the least of ${o.repeat} runs). Redis's own work is not counted: one script per request either way.`,
    '',
    '| target | instructions/request | runs |',
    '| --- | --: | --- |',
    ...counted.map((c) => `| ${c.label} | ${fmt(least(c))} | ${counts.get(c)!.map(fmt).join(', ')} |`),
    '',
  ];
  if (celloMemory !== undefined && fastifyMemory !== undefined && celloRedis !== undefined && fastifyRedis !== undefined) {
    lines.push(`Redis instead of memory costs Cello ${fmt(celloRedis - celloMemory)} instructions per request and @fastify/rate-limit ${fmt(fastifyRedis - fastifyMemory)}.`);
  }
  const verdict = celloRedis === undefined || fastifyRedis === undefined ? undefined : celloRedis <= fastifyRedis;
  if (verdict !== undefined) {
    lines.push(`Cello's Redis route costs ${(celloRedis! / fastifyRedis!).toFixed(2)}x @fastify/rate-limit's on Redis ${verdict ? '(✓ no more)' : '(✗ more: it must cost no more)'}.`);
  }
  const block = lines.join('\n');
  console.log(block);
  if (!o['no-write'] && stores.length === 2) {
    const file = join(benchRoot, 'BENCHMARKS.md');
    updateBenchmarksFile(file, { redis: block });
    console.error(`wrote ${file}`);
  }
  return verdict === false ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
