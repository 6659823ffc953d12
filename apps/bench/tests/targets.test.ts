// Every target answers every scenario it claims correctly, so a broken target fails CI
// instead of a bench run. Targets run as child processes from dist/ (`npm test` builds first).
import { existsSync } from 'node:fs';
import { checkScenario } from '../src/runner/check-scenarios.js';
import { startTarget, type RunningTarget } from '../src/runner/spawn-target.js';
import { scenarios } from '../src/scenarios.js';
import { supports, targets } from '../src/target-registry.js';

// Five servers booting at once on a busy 2-core machine can take a minute; this bounds a hang, it times nothing.
jest.setTimeout(120_000);

const running = new Map<string, RunningTarget>();

beforeAll(async () => {
  const missing = targets.filter((t) => !existsSync(t.entry)).map((t) => t.entry);
  if (missing.length) throw new Error(`not built: ${missing.join(', ')} (run \`npm run build\` first)`);
  // Started together: booting one after another would cost seconds for nothing.
  const started = await Promise.allSettled(targets.map((t) => startTarget(t, { timeoutMs: 100_000 })));
  for (const result of started) if (result.status === 'fulfilled') running.set(result.value.target.id, result.value);
  const failed = started.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
  if (failed.length) throw new Error(`targets failed to start:\n${failed.join('\n')}`);
});

afterAll(async () => {
  await Promise.all([...running.values()].map((r) => r.stop()));
});

describe.each(targets.map((t) => [t.label, t] as const))('%s', (_label, target) => {
  const served = scenarios.filter((s) => supports(target, s.id));

  test.each(served.map((s) => [s.id, s] as const))('serves %s correctly', async (_id, scenario) => {
    const r = running.get(target.id);
    if (!r) throw new Error(`${target.label} did not start`);
    expect(await checkScenario(r.port, scenario)).toEqual([]);
  });

  test('declares a reason for each scenario it does not serve', () => {
    for (const s of scenarios) if (!supports(target, s.id)) expect(target.unsupported[s.id]).toMatch(/\w/);
  });
});

test('raw fastify, the baseline of every ratio, serves every scenario', () => {
  const fastify = targets.find((t) => t.id === 'fastify')!;
  expect(scenarios.filter((s) => !supports(fastify, s.id))).toEqual([]);
});
