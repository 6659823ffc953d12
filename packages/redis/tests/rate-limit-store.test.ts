import 'reflect-metadata';
import { App, CelloError, RateLimitConfig, type RateLimitRule } from '@cello/core';
import { RedisRateLimitStore } from '@cello/redis';
import { Redis } from 'ioredis';
import { describeWithRedis, dropKeys, redisUrl, uniquePrefix } from './support/redis';

// Generous: this machine is shared, and these tests are about counting, not about timeouts.
const quiet = { warn: () => undefined, info: () => undefined };
const patient = { log: quiet, commandTimeout: 2000 };

function limitedApp(rule: RateLimitRule, store: RedisRateLimitStore): App {
  const app = new App({ logger: false });
  app.enableRateLimit(rule, { store });
  app.get('/hello', () => ({ message: 'Hello, World!' }));
  return app;
}

describeWithRedis('RedisRateLimitStore', () => {
  const prefix = uniquePrefix();
  const apps: App[] = [];
  let redis: Redis;

  beforeAll(() => { redis = new Redis(redisUrl); });
  afterEach(async () => { await Promise.all(apps.splice(0).map((a) => a.close())); });
  afterAll(async () => {
    await dropKeys(prefix);
    redis.disconnect();
  });

  test.each([
    ['token bucket', RateLimitConfig.tokenBucket({ requests: 3, window: 60 })],
    ['sliding window', RateLimitConfig.slidingWindow({ requests: 3, window: 60 })],
  ])('%s: the fourth request in a window gets 429 with Retry-After; the headers count down', async (_name, rule) => {
    const app = limitedApp(rule, new RedisRateLimitStore(redisUrl, { prefix: `${prefix}${rule.algorithm}:`, ...patient }));
    apps.push(app);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: 'GET', url: '/hello' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('3');
      remaining.push(String(res.headers['ratelimit-remaining']));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await app.inject({ method: 'GET', url: '/hello' });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
  });

  test('every key it writes expires by itself', async () => {
    const p = `${prefix}ttl:`;
    const app = limitedApp(RateLimitConfig.slidingWindow({ requests: 5, window: 30 }), new RedisRateLimitStore(redisUrl, { prefix: p, ...patient }));
    apps.push(app);
    app.get('/other', () => 'x', { rateLimit: RateLimitConfig.tokenBucket({ requests: 5, window: 10 }) });
    await app.inject({ method: 'GET', url: '/hello' });
    await app.inject({ method: 'GET', url: '/other' });
    const keys = await redis.keys(`${p}*`);
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000); // sliding window: this window and the next
    }
  });

  test('the caller\'s clock does not matter: Redis server time decides', async () => {
    const store = new RedisRateLimitStore(redisUrl, { prefix: `${prefix}clock:`, ...patient });
    const rule = RateLimitConfig.tokenBucket({ requests: 4, window: 3600 });
    // Instances an hour apart, and one far in the past, share one bucket and refill nothing.
    const remaining = [];
    for (const now of [Date.now(), Date.now() + 3_600_000, Date.now() - 86_400_000, Date.now() + 7_200_000]) {
      remaining.push((await store.hit('who', rule, now))!.remaining);
    }
    expect(remaining).toEqual([3, 2, 1, 0]);
    expect((await store.hit('who', rule, Date.now() + 10 * 3_600_000))!.allowed).toBe(false);
    await store.close();
  });

  test('requests that arrive while the first connection is made wait for it together (no listener per request)', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const store = new RedisRateLimitStore(redisUrl, { prefix: `${prefix}first:`, ...patient });
    try {
      const rule = RateLimitConfig.tokenBucket({ requests: 100, window: 60 });
      const decisions = await Promise.all(Array.from({ length: 50 }, () => store.hit('who', rule, Date.now())));
      expect(decisions.every((d) => d !== null && d.allowed)).toBe(true);
      expect(Math.min(...decisions.map((d) => d!.remaining))).toBe(50);
      expect(store.client.listenerCount('ready')).toBe(0);
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await store.close();
    }
  });

  test('close() quits a client it created, and leaves a client it was given open', async () => {
    const own = new RedisRateLimitStore(redisUrl, { ...patient });
    await own.hit(`${prefix}close`, RateLimitConfig.tokenBucket({ requests: 1, window: 1 }), Date.now());
    await own.close();
    expect(own.client.status).toBe('end');

    const mine = new Redis(redisUrl);
    const borrowed = new RedisRateLimitStore({ client: mine, prefix, ...patient });
    const app = limitedApp(RateLimitConfig.tokenBucket({ requests: 5, window: 60 }), borrowed);
    expect((await app.inject({ method: 'GET', url: '/hello' })).statusCode).toBe(200);
    await app.close(); // closes the store through the feature
    expect(await mine.ping()).toBe('PONG');
    mine.disconnect();
  });

  test('bad arguments are a CELLO_ERR_REDIS_CONFIG error that says what to pass', () => {
    expect(() => new RedisRateLimitStore('localhost:6379')).toThrow(CelloError);
    expect(() => new RedisRateLimitStore('localhost:6379')).toThrow(/redis:\/\//);
    expect(() => new RedisRateLimitStore(42 as never)).toThrow(/URL, an ioredis client/);
    expect(() => new RedisRateLimitStore({ url: redisUrl, commandTimeout: -1 })).toThrow(/commandTimeout/);
    try {
      new RedisRateLimitStore({ client: {} as never });
    } catch (err) {
      expect((err as CelloError).code).toBe('CELLO_ERR_REDIS_CONFIG');
    }
  });
});
