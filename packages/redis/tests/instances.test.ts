import { describeWithRedis, dropKeys, redisUrl, startInstance, uniquePrefix, type Instance } from './support/redis';

jest.setTimeout(90_000);

// Two instances of one app in separate processes, sharing only Redis, with clocks 2.5 hours
// apart: they enforce one limit and see each other's invalidations.
describeWithRedis('two app instances sharing one Redis', () => {
  const prefix = uniquePrefix();
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    const env = { REDIS_URL: redisUrl, PREFIX: prefix, LIMIT: '50', COMMAND_TIMEOUT: '2000' };
    [a, b] = await Promise.all([
      startInstance({ ...env, CLOCK_SKEW_MS: String(60 * 60_000) }),
      startInstance({ ...env, CLOCK_SKEW_MS: String(-90 * 60_000) }),
    ]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropKeys(prefix);
  });

  const get = async (instance: Instance, path: string, client: string) => {
    const res = await fetch(instance.url + path, { headers: { 'x-client': client } });
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  };

  test.each([['/limited', 'token bucket'], ['/window', 'sliding window']])('%s (%s): 100 requests spread over both, one after another, limit 50: exactly 50 pass', async (path) => {
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push((await get(i % 2 === 0 ? a : b, path, `sequential${path}`)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50);
    expect(statuses.slice(0, 50).every((s) => s === 200)).toBe(true);
  });

  test.each([['/limited', 'token bucket'], ['/window', 'sliding window']])('%s (%s): 100 concurrent requests over both, limit 50: exactly 50 pass', async (path) => {
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => get(i % 2 === 0 ? a : b, path, `concurrent${path}`)));
    const passed = answers.filter((r) => r.status === 200);
    expect(passed).toHaveLength(50);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(50);
    // Both instances served some: the limit really was shared.
    expect(new Set(passed.map((r) => r.body.pid)).size).toBe(2);
  });

  test('an invalidation on one instance is seen by the other on its next request', async () => {
    const first = await get(a, '/items', 'x');
    expect(first.body.pid).toBe(a.process.pid);
    const shared = await get(b, '/items', 'x');
    expect(shared.body).toEqual(first.body); // A's entry, from Redis
    const write = await fetch(`${a.url}/items`, { method: 'POST' });
    expect(write.status).toBe(200);
    const next = await get(b, '/items', 'x');
    expect(next.body.pid).toBe(b.process.pid);
    expect(next.body.computed).toBe(1);
    expect((await get(a, '/items', 'x')).body).toEqual(next.body); // and B's fresh entry is shared back
  });
});
