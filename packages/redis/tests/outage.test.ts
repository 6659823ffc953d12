import 'reflect-metadata';
import { App, RateLimitConfig } from '@cello/core';
import { RedisCacheStore, RedisRateLimitStore } from '@cello/redis';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from './support/redis';

// A redis-server of the test's own, stopped, frozen and flushed while the apps serve.
const haveRedisServer = require('node:child_process').spawnSync('redis-server', ['--version']).status === 0;
const describeOwnServer = haveRedisServer || process.env.CI ? describe : describe.skip;
if (!haveRedisServer && !process.env.CI) console.warn('Skipping the Redis outage tests: no redis-server binary (apt-get install redis-server). CI runs them.');

jest.setTimeout(90_000);

// Long enough that a busy machine does not trip it by accident (which would be a second outage
// and a second warning); the frozen server still shows requests giving up after it.
const commandTimeout = 1000;

interface Log { warn: string[]; info: string[] }
const recorder = (): Log & { log: { warn(m: string): void; info(m: string): void } } => {
  const r: Log = { warn: [], info: [] };
  return { ...r, log: { warn: (m) => r.warn.push(m), info: (m) => r.info.push(m) } };
};

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not happen within 30 s`);
}

describeOwnServer('Redis down, slow, flushed', () => {
  let server: RedisServer;
  let open: Log & { log: { warn(m: string): void; info(m: string): void } };
  let closed: ReturnType<typeof recorder>;
  let cacheLog: ReturnType<typeof recorder>;
  let app: App;
  let strict: App;
  let calls = 0;
  let stock = 1;

  beforeAll(async () => {
    server = await startRedisServer();
    open = recorder();
    closed = recorder();
    cacheLog = recorder();
    app = new App({ logger: false });
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 1000, window: 60 }), { store: new RedisRateLimitStore(server.url, { log: open.log, commandTimeout }) });
    app.enableCache({ store: new RedisCacheStore(server.url, { log: cacheLog.log, commandTimeout }) });
    app.get('/limited', () => ({ ok: true }));
    app.get('/items', () => { calls++; return { stock }; }, { rateLimit: false, cache: { ttl: 600, tags: ['items'] } });
    app.post('/items', () => ({ stock: ++stock }), { rateLimit: false, invalidateCache: { tags: ['items'] } });
    strict = new App({ logger: false });
    strict.enableRateLimit(RateLimitConfig.slidingWindow({ requests: 1000, window: 60 }), { store: new RedisRateLimitStore({ url: server.url, failClosed: true, log: closed.log, commandTimeout }) });
    strict.get('/limited', () => ({ ok: true }));
    await until('both apps counting in Redis', async () => {
      const [a, b] = await Promise.all([app.inject({ url: '/limited' }), strict.inject({ url: '/limited' })]);
      return a.headers['ratelimit-limit'] !== undefined && b.statusCode === 200;
    });
  });

  afterAll(async () => {
    await app?.close();
    await strict?.close();
    await server?.stop();
  });

  const get = (a: App, url: string) => a.inject({ method: 'GET', url });

  test('Redis stopped: the limiter fails open (or closed, 503), the cache is bypassed, one warning each, no request waits; all back when it returns', async () => {
    expect((await get(app, '/items')).json()).toEqual({ stock: 1 });
    expect((await get(app, '/items')).json()).toEqual({ stock: 1 });
    expect(calls).toBe(1);

    await server.stop();
    const during = await Promise.all(Array.from({ length: 30 }, () => get(app, '/limited')));
    expect(during.map((r) => r.statusCode)).toEqual(Array(30).fill(200));
    // Made-up numbers would be worse than none.
    expect(during.every((r) => r.headers['ratelimit-remaining'] === undefined)).toBe(true);

    const refused = await Promise.all(Array.from({ length: 5 }, () => get(strict, '/limited')));
    for (const r of refused) {
      expect(r.statusCode).toBe(503);
      expect(r.headers['retry-after']).toBe('1');
      expect(r.json()).toMatchObject({ statusCode: 503, error: 'Service Unavailable', code: 'CELLO_ERR_REDIS_UNAVAILABLE' });
    }

    const bypassed = await Promise.all(Array.from({ length: 3 }, () => get(app, '/items')));
    expect(bypassed.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(calls).toBe(4);

    expect(open.warn).toHaveLength(1);
    expect(open.warn[0]).toMatch(/Redis is unavailable .*requests pass uncounted/);
    expect(closed.warn).toHaveLength(1);
    expect(closed.warn[0]).toMatch(/refused with 503/);
    expect(cacheLog.warn).toHaveLength(1);

    await server.start();
    await until('the limiter counting again', async () => (await get(app, '/limited')).headers['ratelimit-remaining'] !== undefined);
    await until('the strict limiter letting requests through', async () => (await get(strict, '/limited')).statusCode === 200);
    expect(open.info).toHaveLength(1);
    expect(open.info[0]).toMatch(/answers again/);
    const counted = await get(app, '/limited');
    expect(Number(counted.headers['ratelimit-remaining'])).toBeLessThan(1000);
    await until('the cache storing again', async () => {
      const before = calls;
      await get(app, '/items');
      await get(app, '/items');
      return calls === before + 1;
    });
  });

  test('Redis frozen (connected, answering nothing): requests finish after the command timeout; an invalidation made meanwhile is applied when it answers again', async () => {
    await get(app, '/items');
    const cached = calls;
    expect((await get(app, '/items')).json()).toEqual({ stock });
    expect(calls).toBe(cached);
    const warningsBefore = open.warn.length;

    server.freeze();
    try {
      const during = await Promise.all(Array.from({ length: 10 }, () => get(app, '/limited')));
      expect(during.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
      const write = await app.inject({ method: 'POST', url: '/items' });
      expect(write.statusCode).toBe(200);
      expect((await get(app, '/items')).json()).toEqual({ stock }); // bypassed: computed
      expect(open.warn).toHaveLength(warningsBefore + 1);
    } finally {
      server.thaw();
    }
    await until('the limiter counting again', async () => (await get(app, '/limited')).headers['ratelimit-remaining'] !== undefined);
    // The entry stored before the write is stale: the invalidation went through first.
    const after = await get(app, '/items');
    expect(after.json()).toEqual({ stock });
  });

  test('after SCRIPT FLUSH the scripts are loaded again (once) and run by SHA', async () => {
    const admin = new Redis(server.url);
    try {
      expect((await get(app, '/limited')).headers['ratelimit-remaining']).toBeDefined();
      await admin.script('FLUSH');
      const loads = await scriptLoads(admin);
      const [a, b] = await Promise.all([get(app, '/limited'), get(app, '/limited')]);
      expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
      // Both counted (the bucket refills meanwhile, so the exact numbers are not fixed).
      expect(a.headers['ratelimit-remaining']).toBeDefined();
      expect(b.headers['ratelimit-remaining']).toBeDefined();
      expect(await scriptLoads(admin)).toBe(loads + 1);
      const evalsha = await evalshaCalls(admin);
      await get(app, '/limited');
      expect(await evalshaCalls(admin)).toBe(evalsha + 1);
    } finally {
      admin.disconnect();
    }
  });
});

async function scriptLoads(redis: Redis): Promise<number> {
  return Number(/cmdstat_script\|load:calls=(\d+)/.exec(await redis.info('commandstats'))?.[1] ?? 0);
}

async function evalshaCalls(redis: Redis): Promise<number> {
  return Number(/cmdstat_evalsha:calls=(\d+)/.exec(await redis.info('commandstats'))?.[1] ?? 0);
}
