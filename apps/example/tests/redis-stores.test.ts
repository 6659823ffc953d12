import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { App } from '@cello/core';
import { Redis } from 'ioredis';
import { createApp } from '../src/app';
import { configFromEnv } from '../src/config';

// REDIS_URL switches the example's rate limits and cache to Redis (@cello/redis).
const redisUrl = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const reachable = spawnSync(process.execPath, ['-e', `
  const s = require('node:net').connect(Number(new URL(process.argv[1]).port || 6379), new URL(process.argv[1]).hostname);
  s.setTimeout(3000, () => process.exit(1)); s.on('error', () => process.exit(1)); s.on('connect', () => process.exit(0));`, redisUrl]).status === 0;

if (reachable) {
  describe('example app with REDIS_URL', () => {
    const prefix = `cello-example-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
    let app: App;
    let redis: Redis;

    beforeAll(async () => {
      const config = { ...configFromEnv({ REDIS_URL: redisUrl, REDIS_PREFIX: prefix }), databaseUrl: undefined };
      app = createApp({ config, logger: false, accessLog: { stream: { write: () => true } as never }, handleSignals: false });
      redis = new Redis(redisUrl);
      await app.ready();
    }, 180_000);

    afterAll(async () => {
      await app?.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });

    test('rate limits and cached responses live in Redis under REDIS_PREFIX', async () => {
      const hello = await app.inject({ method: 'GET', url: '/hello', remoteAddress: '10.20.30.40' });
      expect(hello.statusCode).toBe(200);
      expect(hello.headers['ratelimit-limit']).toBe('300');
      expect(await redis.keys(`${prefix}rl:*10.20.30.40`)).toHaveLength(1);

      // The first answer is stored in Redis, a later one is a hit from there (Age).
      let hit;
      for (let i = 0; i < 20 && hit === undefined; i++) {
        const res = await app.inject({ method: 'GET', url: '/items' });
        expect(res.statusCode).toBe(200);
        if (res.headers.age !== undefined) hit = res;
      }
      expect(hit).toBeDefined();
      expect(await redis.keys(`${prefix}cache:e:*`)).toHaveLength(1);
    });

    test('/health/ready checks Redis as well as the database', async () => {
      const ready = await app.inject('/health/ready');
      expect(ready.statusCode).toBe(200);
      expect(Object.keys(ready.json().checks)).toEqual(['db', 'redis']);
      expect(ready.json().checks.redis.status).toBe('ok');
    });
  });
} else if (process.env.CI) {
  test('Redis is reachable (required in CI)', () => {
    throw new Error(`Redis at ${redisUrl} is not reachable`);
  });
} else {
  console.warn(`Skipping the example's Redis test: ${redisUrl} is not reachable. CI runs it.`);
  describe.skip('example app with REDIS_URL (Redis not reachable)', () => test('needs Redis', () => undefined));
}
