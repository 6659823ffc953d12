import { connect } from 'node:net';
import pino from 'pino';
import { SignJWT } from 'jose';
import { App, HttpError, Request } from '@cello/core';
import { gate, logSink, until } from './helpers/gate';

const levels = { debug: 20, info: 30, warn: 40, error: 50 };
const secret = 'a-test-secret-that-is-long-enough-for-hs256!';

describe('enableLogging({ stream })', () => {
  let app: App;
  let sink: ReturnType<typeof logSink>;

  beforeEach(() => {
    sink = logSink();
    app = new App({ logger: false });
    app.enableLogging({ stream: sink.stream });
    app.get('/items/{id}', (req: Request) => ({ id: req.params.id, reqId: req.id }));
    app.post('/items', () => ({ created: true }), { status: 201 });
    app.get('/bad', () => { throw HttpError.badRequest('nope'); });
    app.get('/boom', () => { throw new Error('kaput'); });
  });

  afterEach(async () => {
    await app.close();
  });

  test('writes one JSON line per request with method, path, statusCode, durationMs and reqId', async () => {
    const res = await app.inject({ method: 'GET', url: '/items/42' });
    await until(() => sink.lines.length === 1);

    const [line] = sink.lines;
    expect(line).toMatchObject({ level: levels.info, method: 'GET', path: '/items/42', statusCode: 200, msg: 'request completed' });
    expect(typeof line!.durationMs).toBe('number');
    expect(line!.durationMs).toBeGreaterThanOrEqual(0);
    expect(typeof line!.reqId).toBe('string');
    expect(line!.reqId).toBe(res.json().reqId);
    expect(line!.aborted).toBeUndefined();
    expect(line!.userId).toBeUndefined();
  });

  test('one line each for several requests, with distinct request ids', async () => {
    await app.inject({ method: 'GET', url: '/items/1' });
    await app.inject({ method: 'POST', url: '/items', payload: {} });
    await app.inject({ method: 'GET', url: '/items/3' });
    await until(() => sink.lines.length === 3);

    expect(sink.lines.map((l) => `${l.method} ${l.path} ${l.statusCode}`)).toEqual(['GET /items/1 200', 'POST /items 201', 'GET /items/3 200']);
    expect(new Set(sink.lines.map((l) => l.reqId)).size).toBe(3);
  });

  test('the path has no query string by default', async () => {
    await app.inject({ method: 'GET', url: '/items/1?token=qs-secret&email=a@b.c' });
    await until(() => sink.lines.length === 1);

    expect(sink.lines[0]!.path).toBe('/items/1');
    expect(JSON.stringify(sink.lines)).not.toContain('qs-secret');
  });

  test('4xx lines are warn, 5xx lines are error', async () => {
    await app.inject({ method: 'GET', url: '/bad' });
    await app.inject({ method: 'GET', url: '/boom' });
    await app.inject({ method: 'GET', url: '/nowhere' });
    await until(() => sink.lines.length === 3);

    expect(sink.lines.map((l) => [l.path, l.statusCode, l.level])).toEqual([
      ['/bad', 400, levels.warn],
      ['/boom', 500, levels.error],
      ['/nowhere', 404, levels.warn],
    ]);
    // The access line is not where the error's text goes (that is the app log's 500 line).
    expect(JSON.stringify(sink.lines)).not.toContain('kaput');
  });

  test('never logs the Authorization header, cookies or bodies', async () => {
    await app.inject({
      method: 'POST',
      url: '/items',
      headers: { authorization: 'Bearer auth-secret-xyz', cookie: 'sid=cookie-secret-abc', 'x-api-key': 'key-secret-123' },
      payload: { password: 'body-secret-hunter2' },
    });
    await until(() => sink.lines.length === 1);

    const text = JSON.stringify(sink.lines);
    for (const secretText of ['auth-secret-xyz', 'cookie-secret-abc', 'key-secret-123', 'body-secret-hunter2', 'Bearer', 'authorization', 'cookie']) {
      expect(text).not.toContain(secretText);
    }
    expect(sink.lines[0]).toMatchObject({ method: 'POST', path: '/items', statusCode: 201 });
  });
});

describe('enableLogging() options', () => {
  test('includeQuery: true keeps the query string', async () => {
    const sink = logSink();
    const app = new App({ logger: false });
    app.enableLogging({ stream: sink.stream, includeQuery: true });
    app.get('/search', () => []);

    await app.inject({ method: 'GET', url: '/search?q=cello' });
    await until(() => sink.lines.length === 1);

    expect(sink.lines[0]!.path).toBe('/search?q=cello');
    await app.close();
  });

  test('includeQuery: true redacts token-like parameters (case-insensitive), keeping the others as sent', async () => {
    const sink = logSink();
    const app = new App({ logger: false });
    app.enableLogging({ stream: sink.stream, includeQuery: true });
    app.get('/search', () => []);

    await app.inject({
      method: 'GET',
      url: '/search?q=cello%20web&access_token=tok-1&Token=tok-2&API_KEY=tok-3&password=tok-4&csrf_token=tok-5&X-Amz-Signature=tok-6&code=tok-7&page=2',
    });
    await until(() => sink.lines.length === 1);

    expect(sink.lines[0]!.path).toBe(
      '/search?q=cello%20web&access_token=[REDACTED]&Token=[REDACTED]&API_KEY=[REDACTED]&password=[REDACTED]&csrf_token=[REDACTED]&X-Amz-Signature=[REDACTED]&code=[REDACTED]&page=2',
    );
    expect(JSON.stringify(sink.lines)).not.toMatch(/tok-\d/);
    await app.close();
  });

  test('redactQuery adds parameter names to redact', async () => {
    const sink = logSink();
    const app = new App({ logger: false });
    app.enableLogging({ stream: sink.stream, includeQuery: true, redactQuery: ['email'] });
    app.get('/search', () => []);

    await app.inject({ method: 'GET', url: '/search?Email=a%40b.c&token=t&q=x' });
    await until(() => sink.lines.length === 1);

    expect(sink.lines[0]!.path).toBe('/search?Email=[REDACTED]&token=[REDACTED]&q=x');
    await app.close();
  });

  test('the 5xx error line has no query string by default either', async () => {
    const sink = logSink();
    const app = new App({ logger: pino({ level: 'info' }, sink.stream) });
    app.enableLogging();
    app.get('/boom', () => { throw new Error('kaput'); });

    await app.inject({ method: 'GET', url: '/boom?access_token=qs-secret&q=1' });
    await until(() => sink.lines.some((l) => l.msg === 'request completed'));

    const failed = sink.lines.find((l) => l.level === levels.error && l.err)!;
    expect(failed.msg).toBe('GET /boom failed: kaput');
    expect(JSON.stringify(sink.lines)).not.toContain('qs-secret');
    await app.close();
  });

  test('the 5xx error line has no query string without enableLogging()', async () => {
    const sink = logSink();
    const app = new App({ logger: pino({ level: 'info' }, sink.stream) });
    app.get('/boom', () => { throw new Error('kaput'); });

    expect((await app.inject({ method: 'GET', url: '/boom?token=qs-secret' })).statusCode).toBe(500);

    expect(sink.lines.map((l) => l.msg)).toEqual(['GET /boom failed: kaput']);
    expect(JSON.stringify(sink.lines)).not.toContain('qs-secret');
    await app.close();
  });

  test('with includeQuery: true the 5xx error line has the query, redacted', async () => {
    const sink = logSink();
    const app = new App({ logger: pino({ level: 'info' }, sink.stream) });
    app.enableLogging({ includeQuery: true });
    app.get('/boom', () => { throw new Error('kaput'); });

    await app.inject({ method: 'GET', url: '/boom?token=qs-secret&q=1' });
    await until(() => sink.lines.some((l) => l.msg === 'request completed'));

    expect(sink.lines.find((l) => l.level === levels.error && l.err)!.msg).toBe('GET /boom?token=[REDACTED]&q=1 failed: kaput');
    expect(JSON.stringify(sink.lines)).not.toContain('qs-secret');
    await app.close();
  });

  test('level sets the level of successful requests\' lines', async () => {
    const sink = logSink();
    const app = new App({ logger: false });
    app.enableLogging({ stream: sink.stream, level: 'debug' });
    app.get('/ok', () => ({}));
    app.get('/bad', () => { throw HttpError.notFound(); });

    await app.inject({ method: 'GET', url: '/ok' });
    await app.inject({ method: 'GET', url: '/bad' });
    await until(() => sink.lines.length === 2);

    expect(sink.lines.map((l) => l.level)).toEqual([levels.debug, levels.warn]);
    await app.close();
  });

  test('without a stream, lines go to the app logger, with its request id', async () => {
    const sink = logSink();
    const app = new App({ logger: pino({ level: 'info' }, sink.stream) });
    app.enableLogging();
    app.get('/ok', () => ({}));

    await app.inject({ method: 'GET', url: '/ok' });
    await until(() => sink.lines.some((l) => l.msg === 'request completed'));

    const line = sink.lines.find((l) => l.msg === 'request completed')!;
    expect(line).toMatchObject({ method: 'GET', path: '/ok', statusCode: 200 });
    expect(typeof line.reqId).toBe('string');
    await app.close();
  });

  test('the request id is the one enableRequestId() took from x-request-id', async () => {
    const sink = logSink();
    const app = new App({ logger: false });
    app.enableRequestId();
    app.enableLogging({ stream: sink.stream });
    app.get('/ok', () => ({}));

    await app.inject({ method: 'GET', url: '/ok', headers: { 'x-request-id': 'trace-abc-123' } });
    await until(() => sink.lines.length === 1);

    expect(sink.lines[0]!.reqId).toBe('trace-abc-123');
    await app.close();
  });

  test('userId is the JWT `sub` when a token set the user', async () => {
    const sink = logSink();
    const app = new App({ logger: false });
    app.enableLogging({ stream: sink.stream });
    app.enableJwt({ secret, algorithms: ['HS256'] });
    app.get('/me', () => ({}));
    const token = await new SignJWT({ sub: 'user-77' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(secret));

    await app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } });
    await app.inject({ method: 'GET', url: '/me' });
    await app.inject({ method: 'GET', url: '/me', headers: { authorization: 'Bearer forged' } });
    await until(() => sink.lines.length === 3);

    expect(sink.lines.map((l) => [l.statusCode, l.userId])).toEqual([[200, 'user-77'], [200, undefined], [401, undefined]]);
    expect(JSON.stringify(sink.lines)).not.toContain(token);
    await app.close();
  });

  test('requests stopped before the handler (rate limit, CORS preflight) are logged too', async () => {
    const { RateLimitConfig } = await import('@cello/core');
    const sink = logSink();
    const app = new App({ logger: false });
    app.enableLogging({ stream: sink.stream });
    app.enableCors();
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 1, window: 60 }));
    app.get('/x', () => ({}));

    await app.inject({ method: 'GET', url: '/x' });
    await app.inject({ method: 'GET', url: '/x' });
    await app.inject({ method: 'OPTIONS', url: '/x', headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' } });
    await until(() => sink.lines.length === 3);

    expect(sink.lines.map((l) => `${l.method} ${l.statusCode}`)).toEqual(['GET 200', 'GET 429', 'OPTIONS 204']);
    await app.close();
  });
});

// Known bug, reported to the lead: app.ts's not-found handler runs the built-ins' onUnmatched in
// the order they were enabled, not in builtinOrder, so a preflight answered by CORS is not logged
// when enableCors() came first. Turn this into a plain test() once that is fixed.
test('a preflight is logged when enableLogging() came after enableCors()', async () => {
  const sink = logSink();
  const app = new App({ logger: false });
  app.enableCors();
  app.enableLogging({ stream: sink.stream });
  app.get('/x', () => ({}));

  const res = await app.inject({ method: 'OPTIONS', url: '/x', headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' } });
  expect(res.statusCode).toBe(204);
  // A request that is not logged leaves this waiting until the test times out, which fails it.
  await until(() => sink.lines.length > 0);
  await app.close();

  expect(sink.lines.map((l) => `${l.method} ${l.statusCode}`)).toEqual(['OPTIONS 204']);
});

describe('a client that goes away mid-request (real socket)', () => {
  test('is logged once, with aborted: true', async () => {
    const sink = logSink();
    const hold = gate();
    let entered = false;
    const app = new App({ logger: false });
    app.enableLogging({ stream: sink.stream });
    app.get('/slow', async () => {
      entered = true;
      await hold.promise;
      return { done: true };
    });
    const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));

    const socket = connect(Number(url.port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await until(() => entered);
    socket.destroy();
    await until(() => sink.lines.length === 1);
    hold.open();
    await app.close();

    expect(sink.lines).toHaveLength(1);
    expect(sink.lines[0]).toMatchObject({ method: 'GET', path: '/slow', aborted: true, level: levels.warn });
  });

  test('a completed request over a socket is not marked aborted', async () => {
    const sink = logSink();
    const app = new App({ logger: false });
    app.enableLogging({ stream: sink.stream });
    app.get('/fast', () => ({ ok: true }));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });

    expect((await fetch(`${url}/fast`)).status).toBe(200);
    await until(() => sink.lines.length === 1);
    await app.close();

    expect(sink.lines[0]).toMatchObject({ path: '/fast', statusCode: 200, level: levels.info });
    expect(sink.lines[0]!.aborted).toBeUndefined();
  });
});
