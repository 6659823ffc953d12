import { App, HttpError, RateLimitConfig, Request, type RequestContext } from '@cello/core';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('enableRequestId()', () => {
  let app: App;

  beforeEach(() => {
    app = new App({ logger: false });
    app.enableRequestId();
    app.get('/id', (req: Request) => ({ id: req.id }));
    app.get('/bad', () => { throw HttpError.badRequest('nope'); });
    app.get('/boom', () => { throw new Error('kaput'); });
  });

  afterEach(async () => {
    await app.close();
  });

  test('echoes a valid x-request-id, and req.id is it', async () => {
    const res = await app.inject({ method: 'GET', url: '/id', headers: { 'x-request-id': 'trace-7f3a.b:9_Z' } });

    expect(res.headers['x-request-id']).toBe('trace-7f3a.b:9_Z');
    expect(res.json()).toEqual({ id: 'trace-7f3a.b:9_Z' });
  });

  test('generates a UUID when the request has none; req.id is the same', async () => {
    const res = await app.inject({ method: 'GET', url: '/id' });

    expect(res.headers['x-request-id']).toMatch(uuid);
    expect(res.json().id).toBe(res.headers['x-request-id']);
  });

  test('every request without an id gets a new one', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add(String((await app.inject({ method: 'GET', url: '/id' })).headers['x-request-id']));

    expect(ids.size).toBe(5);
  });

  test.each([
    ['contains spaces', 'abc def'],
    ['is 500 characters long', 'a'.repeat(500)],
    ['is empty', ''],
    ['has quotes and angle brackets', '"><script>'],
    ['has a JSON-breaking character', 'a"b'],
    ['is non-ASCII', 'id-ünïcode'],
    ['was sent twice (joined with a comma)', ['one', 'two']],
  ])('replaces an id that %s with a UUID', async (_label, incoming) => {
    const res = await app.inject({ method: 'GET', url: '/id', headers: { 'x-request-id': incoming as string } });

    expect(res.headers['x-request-id']).toMatch(uuid);
    expect(res.json().id).toBe(res.headers['x-request-id']);
  });

  test('an id of 128 characters is still kept', async () => {
    const id = 'x'.repeat(128);

    expect((await app.inject({ method: 'GET', url: '/id', headers: { 'x-request-id': id } })).headers['x-request-id']).toBe(id);
    expect((await app.inject({ method: 'GET', url: '/id', headers: { 'x-request-id': `${id}y` } })).headers['x-request-id']).toMatch(uuid);
  });

  test.each([
    ['a thrown HttpError', '/bad', 'GET', 400],
    ['an unknown error', '/boom', 'GET', 500],
    ['an unknown route', '/nowhere', 'GET', 404],
    ['a wrong method', '/id', 'POST', 405],
  ])('is on %s too', async (_label, url, method, status) => {
    const res = await app.inject({ method: method as 'GET', url, headers: { 'x-request-id': 'keep-me' } });

    expect(res.statusCode).toBe(status);
    expect(res.headers['x-request-id']).toBe('keep-me');
  });

  test('is on 401 and 429 answers given before the handler', async () => {
    const strict = new App({ logger: false });
    strict.enableJwt({ secret: 'a-test-secret-that-is-long-enough-for-hs256!', algorithms: ['HS256'] });
    strict.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 1, window: 60 }));
    strict.enableRequestId();
    strict.get('/x', () => ({}));

    const unauthorized = await strict.inject({ method: 'GET', url: '/x', headers: { authorization: 'Bearer forged', 'x-request-id': 'r-401' } });
    const limited = await strict.inject({ method: 'GET', url: '/x', headers: { 'x-request-id': 'r-429' } });

    expect([unauthorized.statusCode, unauthorized.headers['x-request-id']]).toEqual([401, 'r-401']);
    expect([limited.statusCode, limited.headers['x-request-id']]).toEqual([429, 'r-429']);
    await strict.close();
  });

  test('is on CORS preflight answers', async () => {
    const withCors = new App({ logger: false });
    withCors.enableRequestId();
    withCors.enableCors();
    withCors.get('/x', () => ({}));

    const res = await withCors.inject({ method: 'OPTIONS', url: '/x', headers: { origin: 'https://a.example', 'access-control-request-method': 'GET', 'x-request-id': 'pre-1' } });

    expect(res.statusCode).toBe(204);
    expect(res.headers['x-request-id']).toBe('pre-1');
    await withCors.close();
  });

  // Known bug, reported to the lead: app.ts's not-found handler runs the built-ins' onUnmatched
  // in the order they were enabled, not in builtinOrder, so a preflight answered by CORS skips
  // the built-ins enabled after it. Turn this into a plain test() once that is fixed.
  test('is on CORS preflight answers when enabled after CORS too', async () => {
    const withCors = new App({ logger: false });
    withCors.enableCors();
    withCors.enableRequestId();
    withCors.get('/x', () => ({}));

    const res = await withCors.inject({ method: 'OPTIONS', url: '/x', headers: { origin: 'https://a.example', 'access-control-request-method': 'GET', 'x-request-id': 'pre-1' } });

    await withCors.close();
    expect(res.headers['x-request-id']).toBe('pre-1');
  });

  test('a dependency or middleware sees the same id through ctx.request.id', async () => {
    const seen: string[] = [];
    const withUse = new App({ logger: false });
    withUse.enableRequestId();
    withUse.use(async (ctx: RequestContext, next) => { seen.push(ctx.request.id); return next(); });
    withUse.get('/x', (req: Request) => { seen.push(req.id); return {}; });

    await withUse.inject({ method: 'GET', url: '/x', headers: { 'x-request-id': 'shared-id' } });

    expect(seen).toEqual(['shared-id', 'shared-id']);
    await withUse.close();
  });
});

describe('enableRequestId() options', () => {
  test('header and generate', async () => {
    let n = 0;
    const app = new App({ logger: false });
    app.enableRequestId({ header: 'X-Correlation-ID', generate: () => `gen-${++n}` });
    app.get('/id', (req: Request) => ({ id: req.id }));

    const kept = await app.inject({ method: 'GET', url: '/id', headers: { 'x-correlation-id': 'corr-1' } });
    const made = await app.inject({ method: 'GET', url: '/id', headers: { 'x-request-id': 'ignored' } });

    expect(kept.headers['x-correlation-id']).toBe('corr-1');
    expect(kept.json().id).toBe('corr-1');
    expect(made.headers['x-correlation-id']).toBe('gen-1');
    expect(made.headers['x-request-id']).toBeUndefined();
    expect(made.json().id).toBe('gen-1');
    await app.close();
  });

  test('without enableRequestId() no x-request-id is sent or trusted', async () => {
    const app = new App({ logger: false });
    app.get('/id', (req: Request) => ({ id: req.id }));

    const res = await app.inject({ method: 'GET', url: '/id', headers: { 'x-request-id': 'from-client' } });

    expect(res.headers['x-request-id']).toBeUndefined();
    expect(res.json().id).not.toBe('from-client');
    await app.close();
  });
});
