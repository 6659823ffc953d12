import 'reflect-metadata';
import { App } from '@cello/core';
import { RedisCacheStore } from '@cello/redis';
import { Redis } from 'ioredis';
import { describeWithRedis, dropKeys, redisUrl, uniquePrefix } from './support/redis';

// Generous: this machine is shared, and these tests are about counting, not about timeouts.
const quiet = { warn: () => undefined, info: () => undefined };
const patient = { log: quiet, commandTimeout: 2000 };

describeWithRedis('RedisCacheStore', () => {
  const prefix = uniquePrefix();
  const apps: App[] = [];
  let redis: Redis;

  beforeAll(() => { redis = new Redis(redisUrl); });
  afterEach(async () => { await Promise.all(apps.splice(0).map((a) => a.close())); });
  afterAll(async () => {
    await dropKeys(prefix);
    redis.disconnect();
  });

  function shop(p: string): { app: App; calls: () => number } {
    let calls = 0;
    let stock = 1;
    const app = new App({ logger: false });
    app.enableCache({ store: new RedisCacheStore(redisUrl, { prefix: p, ...patient }) });
    app.get('/items', async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return { stock };
    }, { cache: { ttl: 120, tags: ['items'] } });
    app.get('/report', () => Buffer.from([0, 1, 2, 255]), { cache: { ttl: 120 } });
    app.post('/items', () => ({ stock: ++stock }), { invalidateCache: { tags: ['items'] } });
    apps.push(app);
    return { app, calls: () => calls };
  }

  test('a hit is served from Redis with its ETag and Age, without calling the handler; If-None-Match gets 304', async () => {
    const { app, calls } = shop(`${prefix}hit:`);
    const first = await app.inject({ method: 'GET', url: '/items' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ stock: 1 });
    const hit = await app.inject({ method: 'GET', url: '/items' });
    expect(hit.json()).toEqual({ stock: 1 });
    expect(hit.headers.etag).toBe(first.headers.etag);
    expect(hit.headers.age).toBeDefined();
    expect(calls()).toBe(1);
    const notModified = await app.inject({ method: 'GET', url: '/items', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(notModified.statusCode).toBe(304);
    const head = await app.inject({ method: 'HEAD', url: '/items' });
    expect(head.statusCode).toBe(200);
    expect(calls()).toBe(1);
  });

  test('bodies are stored as bytes, and the entry expires with its ttl', async () => {
    const p = `${prefix}bytes:`;
    const { app } = shop(p);
    await app.inject({ method: 'GET', url: '/report' });
    const hit = await app.inject({ method: 'GET', url: '/report' });
    expect(hit.rawPayload).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(hit.headers['content-type']).toBe('application/octet-stream');
    const [key] = await redis.keys(`${p}cache:e:*`);
    expect(await redis.hgetBuffer(key!, 'b')).toEqual(Buffer.from([0, 1, 2, 255]));
    const ttl = await redis.pttl(key!);
    expect(ttl).toBeGreaterThan(100_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });

  test('an invalidation reaches another app sharing the store at its next request', async () => {
    const p = `${prefix}tags:`;
    const a = shop(p);
    const b = shop(p);
    expect((await a.app.inject({ method: 'GET', url: '/items' })).json()).toEqual({ stock: 1 });
    expect((await b.app.inject({ method: 'GET', url: '/items' })).json()).toEqual({ stock: 1 });
    expect(b.calls()).toBe(0); // A's entry
    expect((await a.app.inject({ method: 'POST', url: '/items' })).statusCode).toBe(200);
    expect((await b.app.inject({ method: 'GET', url: '/items' })).json()).toEqual({ stock: 1 }); // B's own stock: B computed it
    expect(b.calls()).toBe(1);
    await b.app.cache.invalidate({ tags: ['items'] });
    await a.app.inject({ method: 'GET', url: '/items' });
    expect(a.calls()).toBe(2);
  });

  test('concurrent misses on one instance call the handler once', async () => {
    const { app, calls } = shop(`${prefix}flight:`);
    const answers = await Promise.all(Array.from({ length: 10 }, () => app.inject({ method: 'GET', url: '/items' })));
    expect(answers.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(calls()).toBe(1);
  });

  test('clear() empties the cache for every instance', async () => {
    const p = `${prefix}clear:`;
    const a = shop(p);
    const b = shop(p);
    await a.app.inject({ method: 'GET', url: '/items' });
    await a.app.inject({ method: 'GET', url: '/report' });
    await b.app.cache.clear();
    await a.app.inject({ method: 'GET', url: '/items' });
    expect(a.calls()).toBe(2);
    await b.app.inject({ method: 'GET', url: '/items' });
    expect(b.calls()).toBe(0);
  });

  test('a response computed across an invalidation is not stored', async () => {
    const p = `${prefix}race:`;
    const store = new RedisCacheStore(redisUrl, { prefix: p, ...patient });
    const app = new App({ logger: false });
    app.enableCache({ store });
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let entered!: () => void;
    const running = new Promise<void>((r) => { entered = r; });
    let calls = 0;
    app.get('/slow', async () => {
      calls++;
      entered();
      if (calls === 1) await gate;
      return { calls };
    }, { cache: { ttl: 60, tags: ['slow'] } });
    apps.push(app);
    const pending = app.inject({ method: 'GET', url: '/slow' });
    await running;
    await store.invalidateTags(['slow']);
    release();
    expect((await pending).json()).toEqual({ calls: 1 });
    expect((await app.inject({ method: 'GET', url: '/slow' })).json()).toEqual({ calls: 2 });
  });
});
