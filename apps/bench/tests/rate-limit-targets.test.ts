// The targets of `npm run bench:redis` answer correctly and really use the store they name:
// the Redis variants run their scripts in Redis. Needs Redis (CI has it; skipped elsewhere).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { distDir } from '../src/paths.js';
import { startTarget } from '../src/runner/spawn-target.js';
import { send } from '../src/runner/http-request.js';
import type { Target } from '../src/target-registry.js';

jest.setTimeout(60_000);

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const reachable = spawnSync(process.execPath, ['-e', `
  const u = new URL(process.argv[1]); const s = require('node:net').connect(Number(u.port || 6379), u.hostname);
  s.setTimeout(3000, () => process.exit(1)); s.on('error', () => process.exit(1)); s.on('connect', () => process.exit(0));`, redisUrl]).status === 0;
if (!reachable && !process.env.CI) console.warn(`Skipping the bench:redis target checks: Redis at ${redisUrl} is not reachable. CI runs them.`);

const variants = ['cello', 'fastify'].flatMap((framework) => ['memory', 'redis'].map((store) => [framework, store] as const));

(reachable || process.env.CI ? describe : describe.skip)('bench:redis targets', () => {
  test.each(variants)('%s with the %s store answers GET /limited with a counted 200', async (framework, store) => {
    const target = { id: framework, label: `${framework} (${store})`, entry: join(distDir, 'targets', 'rate-limit', `${framework}.js`), unsupported: {} } as Target;
    if (!existsSync(target.entry)) throw new Error(`not built: ${target.entry} (run \`npm run build\` first)`);
    process.env.RATE_LIMIT_STORE = store;
    const redis = new Redis(redisUrl);
    // EVAL or EVALSHA: ioredis sends a script's first call as EVAL on each connection.
    const scripts = async () => [...(await redis.info('commandstats')).matchAll(/cmdstat_eval(?:sha)?:calls=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    const before = await scripts();
    const running = await startTarget(target, { timeoutMs: 50_000 });
    try {
      const answer = await send(running.port, { method: 'GET', path: '/limited' }, 10_000);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ ok: true });
      expect(answer.headers['ratelimit-limit'] ?? answer.headers['x-ratelimit-limit']).toBe('10000000');
      // The Redis variants count in Redis, by script (their keys expire within a millisecond
      // under this never-tripping limit, so the scripts run are what shows).
      if (store === 'redis') expect(await scripts()).toBeGreaterThan(before);
    } finally {
      delete process.env.RATE_LIMIT_STORE;
      redis.disconnect();
      await running.stop();
    }
  });
});
