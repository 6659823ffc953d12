import { connect, type Socket } from 'node:net';
import { App, RateLimitConfig } from '@cello/core';
import { gate, logSink, until } from './helpers/gate';

function healthy(): Promise<void> {
  return Promise.resolve();
}

describe('enableHealthChecks()', () => {
  test('live, startup and ready answer 200; ready lists each check with its status and duration', async () => {
    const app = new App({ logger: false });
    app.enableHealthChecks({ checks: { db: healthy, cache: () => 'PONG' } });
    for (const probe of ['live', 'startup']) {
      const res = await app.inject(`/health/${probe}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    }
    const ready = await app.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.headers['cache-control']).toBe('no-store');
    expect(ready.json()).toEqual({
      status: 'ok',
      checks: { db: { status: 'ok', durationMs: expect.any(Number) }, cache: { status: 'ok', durationMs: expect.any(Number) } },
    });
    await app.close();
  });

  test('a failing check makes ready 503; the body says which, the reason goes to the log only', async () => {
    const sink = logSink();
    const app = new App({ logger: { level: 'warn', stream: sink.stream } });
    let down = true;
    app.enableHealthChecks({
      checks: {
        db: async () => { if (down) throw new Error('connect ECONNREFUSED 10.0.0.5:5432'); },
        flag: () => false,
        cache: healthy,
      },
    });
    const res = await app.inject('/health/ready');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'error',
      checks: {
        db: { status: 'error', durationMs: expect.any(Number) },
        flag: { status: 'error', durationMs: expect.any(Number) },
        cache: { status: 'ok', durationMs: expect.any(Number) },
      },
    });
    expect(res.body).not.toContain('10.0.0.5');
    expect((await app.inject('/health/live')).statusCode).toBe(200);

    await app.inject('/health/ready');
    const failures = sink.lines.filter((l) => l.code === 'CELLO_ERR_HEALTH_CHECK_FAILED');
    // Logged when a check starts failing, not on every probe.
    expect(failures.map((l) => l.check).sort()).toEqual(['db', 'flag']);
    expect(failures.find((l) => l.check === 'db')!.msg).toContain('ECONNREFUSED');

    down = false;
    expect((await app.inject('/health/ready')).json().checks.db.status).toBe('ok');
    await app.close();
  });

  test('a hanging check times out: ready answers 503 at its timeout, and a later probe joins the call still running', async () => {
    const sink = logSink();
    const app = new App({ logger: { level: 'warn', stream: sink.stream } });
    let calls = 0;
    app.enableHealthChecks({
      timeout: 0.05,
      checks: { db: healthy, upstream: () => { calls++; return new Promise(() => undefined); } },
    });
    const first = await app.inject('/health/ready');
    expect(first.statusCode).toBe(503);
    expect(first.json().checks).toEqual({ db: { status: 'ok', durationMs: expect.any(Number) }, upstream: { status: 'timeout', durationMs: expect.any(Number) } });
    expect(sink.lines.filter((l) => l.code === 'CELLO_ERR_HEALTH_CHECK_TIMEOUT').map((l) => l.check)).toEqual(['upstream']);
    expect((await app.inject('/health/ready')).json().checks.upstream.status).toBe('timeout');
    expect(calls).toBe(1);
    await app.close();
  });

  test('a check may have its own timeout', async () => {
    const app = new App({ logger: false });
    const slow = () => new Promise((r) => setTimeout(r, 100));
    app.enableHealthChecks({ timeout: 10, checks: { slow: { check: slow, timeout: 0.02 } } });
    expect((await app.inject('/health/ready')).json().checks.slow.status).toBe('timeout');
    await app.close();
  });

  test('checks run in parallel', async () => {
    const app = new App({ logger: false });
    const started: string[] = [];
    const release = gate();
    const check = (name: string) => async () => { started.push(name); await release.promise; };
    app.enableHealthChecks({ checks: { a: check('a'), b: check('b') } });
    await app.ready();
    const probe = app.inject('/health/ready');
    // Run one after the other, `b` would wait for `a`, which waits for the gate.
    await until(() => started.length === 2);
    release.open();
    expect((await probe).statusCode).toBe(200);
    await app.close();
  });

  test('health routes skip JWT and rate limits, are in the route table, and stay out of OpenAPI unless asked', async () => {
    const app = new App({ logger: false });
    app.enableJwt({ secret: 'x'.repeat(32), algorithms: ['HS256'] });
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 1, window: 60 }));
    app.enableDocs();
    app.enableHealthChecks({ path: '/ops/health', checks: { db: healthy } });
    app.get('/items', () => []);
    const badToken = { authorization: 'Bearer not-a-token' };
    expect((await app.inject({ url: '/items', headers: badToken })).statusCode).toBe(401);
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ url: '/ops/health/ready', headers: badToken });
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
    const health = app.routes().filter((r) => r.path.startsWith('/ops/health'));
    expect(health.map((r) => r.path).sort()).toEqual(['/ops/health/live', '/ops/health/ready', '/ops/health/startup']);
    expect(health.every((r) => r.public && r.rateLimit === false && r.circuitBreaker === false)).toBe(true);
    const doc = (await app.inject('/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(['/items']);
    await app.close();

    const listed = new App({ logger: false });
    listed.enableDocs();
    listed.enableHealthChecks({ includeInDocs: true });
    expect(Object.keys((await listed.inject('/openapi.json')).json().paths).sort()).toEqual(['/health/live', '/health/ready', '/health/startup']);
    await listed.close();
  });

  test('an app-wide circuit breaker leaves the health routes alone: a failing readiness keeps running its checks', async () => {
    const app = new App({ logger: false });
    let calls = 0;
    app.enableCircuitBreaker({ failureThreshold: 1 });
    app.enableHealthChecks({ checks: { db: () => { calls++; throw new Error('down'); } } });
    for (let i = 0; i < 3; i++) expect((await app.inject('/health/ready')).json().status).toBe('error');
    expect(calls).toBe(3);
    await app.close();
  });

  test('a bad setup is a CelloError at enableHealthChecks()', () => {
    const app = new App({ logger: false });
    expect(() => app.enableHealthChecks({ timeout: 0 })).toThrow(expect.objectContaining({ code: 'CELLO_ERR_HEALTH_CONFIG', message: expect.stringContaining('timeout must be a positive number of seconds, got 0') }));
    expect(() => app.enableHealthChecks({ checks: { db: 'select 1' as never } })).toThrow(expect.objectContaining({ code: 'CELLO_ERR_HEALTH_CONFIG', message: expect.stringContaining('checks.db must be a function') }));
  });
});

// Raw HTTP/1.1 on one socket, so a request can be written while the one before it is in flight.
function rawClient(url: string): { socket: Socket; send: (path: string) => void; responses: (n: number) => Promise<Array<{ status: number; body: string }>> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => { data += chunk; });
  const parse = (): Array<{ status: number; body: string }> => {
    const out: Array<{ status: number; body: string }> = [];
    let rest = data;
    for (;;) {
      const end = rest.indexOf('\r\n\r\n');
      if (end < 0) break;
      const head = rest.slice(0, end);
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (rest.length < end + 4 + length) break;
      out.push({ status: Number(head.split(' ')[1]), body: rest.slice(end + 4, end + 4 + length) });
      rest = rest.slice(end + 4 + length);
    }
    return out;
  };
  return {
    socket,
    send: (path) => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`),
    responses: async (n) => { await until(() => parse().length >= n); return parse(); },
  };
}

describe('readiness during shutdown (a real socket)', () => {
  test('from the moment close() begins, ready is 503 while an in-flight request still completes with 200', async () => {
    const app = new App({ logger: false, handleSignals: false });
    const slow = gate();
    let slowStarted = false;
    app.get('/slow', async () => { slowStarted = true; await slow.promise; return { slow: 'done' }; });
    app.enableHealthChecks({ checks: { db: healthy } });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);

    let received = 0;
    app.fastify.server.on('request', () => received++);
    const client = rawClient(url);
    client.send('/slow');
    await until(() => slowStarted);
    const closing = app.close();
    // Same connection, behind the request still running: the listener no longer takes new ones.
    client.send('/health/ready');
    await until(() => received === 2);
    slow.open();
    const [first, second] = await client.responses(2);
    expect(first).toEqual({ status: 200, body: JSON.stringify({ slow: 'done' }) });
    expect(second!.status).toBe(503);
    await closing;
    client.socket.destroy();
  });

  test('a readiness probe whose checks were running when close() began answers 503 shutting_down', async () => {
    const app = new App({ logger: false, handleSignals: false });
    const check = gate();
    let checking = false;
    app.enableHealthChecks({ checks: { db: async () => { checking = true; await check.promise; } } });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const probe = fetch(`${url}/health/ready`);
    await until(() => checking);
    const closing = app.close();
    check.open();
    const res = await probe;
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'shutting_down', checks: { db: { status: 'ok', durationMs: expect.any(Number) } } });
    await closing;
  });
});
