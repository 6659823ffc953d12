import { describeWithRedis, dropKeys, redisUrl, startInstance, uniquePrefix, type Instance } from './support/redis';
import { nginxBinary, startNginx, type LoadBalancer } from './support/nginx';

jest.setTimeout(90_000);

// Two instances behind a real load balancer (Debian's nginx; .ci/run installs it), sharing Redis.
const binary = nginxBinary();
if (binary === null && !process.env.CI) console.warn('Skipping the nginx tests: nginx is not installed (apt-get install -y nginx). CI runs them.');
const describeNginx = binary !== null || process.env.CI ? describeWithRedis : (title: string, body: () => void) => describe.skip(title, body);

describeNginx('two instances behind nginx, sharing Redis', () => {
  const prefix = uniquePrefix();
  let a: Instance;
  let b: Instance;
  let lb: LoadBalancer;

  beforeAll(async () => {
    if (binary === null) throw new Error('nginx is not installed: apt-get install -y nginx (.ci/run does)');
    const env = { REDIS_URL: redisUrl, PREFIX: prefix, LIMIT: '50', COMMAND_TIMEOUT: '2000', SLOW_MS: '400' };
    [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    lb = await startNginx(binary, [a.url, b.url].map((u) => new URL(u).host));
  }, 90_000);

  afterAll(async () => {
    await lb?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
    await dropKeys(prefix);
  });

  const get = async (path: string, client = 'lb') => {
    const res = await fetch(lb.url + path, { headers: { 'x-client': client } });
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  };

  test('one rate limit through the load balancer: 100 requests, limit 50, exactly 50 pass, served by both', async () => {
    const answers = await Promise.all(Array.from({ length: 100 }, () => get('/limited', 'through-nginx')));
    const passed = answers.filter((r) => r.status === 200);
    expect(passed).toHaveLength(50);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(50);
    expect(new Set(passed.map((r) => r.body.pid))).toEqual(new Set([a.process.pid, b.process.pid]));
  });

  test('an invalidation through the load balancer holds on both instances', async () => {
    const cached = await get('/items');
    for (let i = 0; i < 4; i++) expect((await get('/items')).body).toEqual(cached.body); // both instances answer, from Redis
    const write = await fetch(`${lb.url}/items`, { method: 'POST' });
    expect(write.status).toBe(200);
    const fresh = await get('/items');
    expect(fresh.body).not.toEqual(cached.body);
    for (let i = 0; i < 4; i++) expect((await get('/items')).body).toEqual(fresh.body);
  });

  test('SIGTERM to one instance while requests flow: none of the requests nginx sent to it is lost', async () => {
    const inFlight = Array.from({ length: 40 }, () => get('/slow'));
    // Let nginx hand them out (the handler takes 400 ms), then stop A while they run.
    await new Promise((r) => setTimeout(r, 150));
    const signalledAt = Date.now();
    const exit = a.stop('SIGTERM');
    const later: Promise<{ status: number; body: Record<string, unknown> }>[] = [];
    while (Date.now() - signalledAt < 1000) {
      later.push(get('/slow'));
      await new Promise((r) => setTimeout(r, 25));
    }
    const answers = await Promise.all([...inFlight, ...later]);
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    // A finished what it had been given, after the signal, and exited cleanly.
    expect(answers.slice(0, 40).filter((r) => r.body.pid === a.process.pid).length).toBeGreaterThan(0);
    expect(await exit).toBe(0);
    // Everything after it stopped listening went to B.
    expect(answers.slice(40).filter((r) => r.body.pid === b.process.pid).length).toBeGreaterThan(0);
  });
});
