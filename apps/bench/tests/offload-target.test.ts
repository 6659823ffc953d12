// The offload benchmark's target answers what run-offload.ts sends it, with the busy route on
// the event loop and on a worker thread alike, and its section reads the results it is given.
import { existsSync } from 'node:fs';
import { offloadSection, offloadTarget, type OffloadBenchResults } from '../src/runner/run-offload.js';
import { send } from '../src/runner/http-request.js';
import { startTarget, type RunningTarget, type Startable } from '../src/runner/spawn-target.js';

// Booting on a busy 2-core machine can take a while; this bounds a hang, it times nothing.
jest.setTimeout(120_000);

const running = new Map<string, RunningTarget<Startable>>();

beforeAll(async () => {
  if (!existsSync(offloadTarget.entry)) throw new Error(`not built: ${offloadTarget.entry} (run \`npm run build\` first)`);
  running.set('inline', await startTarget(offloadTarget, { env: { CELLO_BENCH_OFFLOAD: '0' }, timeoutMs: 100_000 }));
  running.set('offload', await startTarget(offloadTarget, { env: { CELLO_BENCH_OFFLOAD: '1' }, timeoutMs: 100_000, gracefulStop: true }));
});

afterAll(async () => {
  await Promise.all([...running.values()].map((r) => r.stop()));
});

test.each(['inline', 'offload'])('%s: GET /work computes the same hash, GET /hello answers', async (mode) => {
  const port = running.get(mode)!.port;
  const work = await send(port, { method: 'GET', path: '/work?rounds=1000' });
  const hello = await send(port, { method: 'GET', path: '/hello' });

  expect([work.status, JSON.parse(work.body)]).toEqual([200, { hash: 1443387501 }]);
  expect([hello.status, JSON.parse(hello.body)]).toEqual([200, { message: 'Hello, World!' }]);
});

test('the BENCHMARKS.md block shows both ways with medians', () => {
  const runs = (p99: number) => ({ helloP50: [1, 2, 3], helloP99: [p99, p99 + 10, p99 + 20], helloRate: [100, 200, 300], workRate: [40, 50, 60], bad: 0 });
  const results: OffloadBenchResults = {
    settings: { rounds: 3, seconds: 3, warmupSeconds: 1, workMs: 20, workClients: 2 },
    workRounds: 5000,
    modes: { inline: runs(40), offload: runs(2) },
    loadAverage: [1, 2],
  };

  const block = offloadSection(results, 2, '2026-01-01T00:00:00Z');
  expect(block).toContain('| on the event loop | 2.0 ms | 50.0 ms | 200 | 50.0 |');
  expect(block).toContain('| with `@Offload()` | 2.0 ms | 12.0 ms | 200 | 50.0 |');
});
