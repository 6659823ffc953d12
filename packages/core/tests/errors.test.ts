import { Writable } from 'node:stream';
import { App, Controller, Get, HttpError, Request } from '@cello/core';
import { gate } from './helpers/gate';

function logCollector(): { stream: Writable; lines: () => Record<string, any>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l.trim().length > 0)
      .map((l) => JSON.parse(l) as Record<string, any>);
  return { stream, lines };
}

describe('HttpError', () => {
  let app: App;

  beforeEach(() => {
    app = new App({ logger: false });
  });

  afterEach(async () => {
    await app.close();
  });

  test('new HttpError(status, message, details) answers { statusCode, error, message, details }', async () => {
    app.post('/users', () => {
      throw new HttpError(409, 'Email taken', { field: 'email' });
    });

    const res = await app.inject({ method: 'POST', url: '/users' });

    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ statusCode: 409, error: 'Conflict', message: 'Email taken', details: { field: 'email' } });
  });

  test.each([
    ['badRequest', 400, 'Bad Request'],
    ['unauthorized', 401, 'Unauthorized'],
    ['forbidden', 403, 'Forbidden'],
    ['notFound', 404, 'Not Found'],
    ['conflict', 409, 'Conflict'],
    ['tooManyRequests', 429, 'Too Many Requests'],
  ] as const)('HttpError.%s answers %i with { statusCode, error, message } and no details', async (helper, status, error) => {
    app.get('/fail', async () => {
      throw HttpError[helper]('it went wrong');
    });

    const res = await app.inject({ method: 'GET', url: '/fail' });

    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ statusCode: status, error, message: 'it went wrong' });
  });

  test('a helper thrown from a controller method works the same', async () => {
    @Controller('/users')
    class UsersController {
      @Get('/{id}')
      get(req: Request) {
        throw HttpError.notFound(`User ${req.params.id} not found`);
      }
    }
    const ctrlApp = new App({ controllers: [UsersController], logger: false });

    const res = await ctrlApp.inject({ method: 'GET', url: '/users/9' });

    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'User 9 not found' });
    await ctrlApp.close();
  });

  test('the code option is sent in the body as `code`', async () => {
    app.get('/coded', () => {
      throw HttpError.badRequest('Bad coupon', { coupon: 'X1' }, { code: 'COUPON_INVALID' });
    });

    const res = await app.inject({ method: 'GET', url: '/coded' });

    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Bad coupon',
      details: { coupon: 'X1' },
      code: 'COUPON_INVALID',
    });
  });

  test('the headers option is sent with the error response', async () => {
    app.get('/slow-down', () => {
      throw HttpError.tooManyRequests('Slow down', undefined, { headers: { 'Retry-After': '30' } });
    });

    const res = await app.inject({ method: 'GET', url: '/slow-down' });

    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Slow down' });
  });
});

describe('unknown errors', () => {
  test('answer 500 with a generic message and no stack or internal text', async () => {
    const app = new App({ logger: false });
    app.get('/boom', async () => {
      throw new Error('db password is hunter2');
    });
    app.get('/boom-sync', () => {
      throw new TypeError('secret table users_private missing');
    });

    for (const [url, secret] of [['/boom', 'hunter2'], ['/boom-sync', 'users_private']] as const) {
      const res = await app.inject({ method: 'GET', url });

      expect(res.statusCode).toBe(500);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
      expect(body.statusCode).toBe(500);
      expect(body.error).toBe('Internal Server Error');
      expect(res.body).not.toContain(secret);
      expect(res.body).not.toMatch(/\bat .*\.ts:\d+/);
      expect(res.body).not.toContain('stack');
    }
    await app.close();
  });

  test('are logged with the error and the request id', async () => {
    const { stream, lines } = logCollector();
    const app = new App({ logger: { level: 'error', stream } });
    const ids: string[] = [];
    app.get('/boom', (req: Request) => {
      ids.push(req.id);
      throw new Error('db password is hunter2');
    });

    const res = await app.inject({ method: 'GET', url: '/boom' });
    await app.close();

    expect(res.statusCode).toBe(500);
    expect(ids).toHaveLength(1);
    const errorLines = lines().filter((l) => l.level >= 50);
    expect(errorLines).toHaveLength(1);
    const line = errorLines[0]!;
    expect(line.reqId).toBe(ids[0]);
    expect(line.err?.message).toBe('db password is hunter2');
    expect(String(line.err?.stack)).toContain('db password is hunter2');
  });

  test('a non-HttpError with a 4xx statusCode answers that status with its generic message (no internal text)', async () => {
    const app = new App({ logger: false });
    app.get('/upstream', async () => {
      throw Object.assign(new Error('upstream GET http://db.internal/users?password=hunter2 failed'), { statusCode: 404 });
    });
    app.get('/sync', () => {
      throw Object.assign(new Error('token table secret_tokens locked'), { statusCode: 409, status: 409 });
    });

    const notFound = await app.inject({ method: 'GET', url: '/upstream' });
    const conflict = await app.inject({ method: 'GET', url: '/sync' });
    await app.close();

    expect(notFound.statusCode).toBe(404);
    expect(notFound.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not Found' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toEqual({ statusCode: 409, error: 'Conflict', message: 'Conflict' });
  });

  test('an error dressed as a fastify error (code FST_...) is not trusted with its message', async () => {
    const app = new App({ logger: false });
    app.get('/forged', () => {
      throw Object.assign(new Error('connection string postgres://admin:hunter2@db'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
    });

    const res = await app.inject({ method: 'GET', url: '/forged' });
    await app.close();

    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'Payload Too Large' });
  });

  test('the hidden message of a 4xx non-HttpError is logged (warn) with the request id', async () => {
    const { stream, lines } = logCollector();
    const app = new App({ logger: { level: 'warn', stream } });
    const ids: string[] = [];
    app.get('/upstream', (req: Request) => {
      ids.push(req.id);
      throw Object.assign(new Error('upstream said password=hunter2'), { statusCode: 404 });
    });

    expect((await app.inject({ method: 'GET', url: '/upstream' })).statusCode).toBe(404);
    await app.close();

    const warned = lines().filter((l) => l.level === 40);
    expect(warned).toHaveLength(1);
    expect(warned[0]!.reqId).toBe(ids[0]);
    expect(warned[0]!.err?.message).toBe('upstream said password=hunter2');
  });

  test('HttpErrors below 500 are not logged as errors', async () => {
    const { stream, lines } = logCollector();
    const app = new App({ logger: { level: 'error', stream } });
    app.get('/missing', () => {
      throw HttpError.notFound('nope');
    });

    expect((await app.inject({ method: 'GET', url: '/missing' })).statusCode).toBe(404);
    await app.close();

    expect(lines()).toEqual([]);
  });
});

describe('fastify options', () => {
  test('fastify: { handlerTimeout } answers fastify\'s 503 when a handler outlives it, without its text', async () => {
    const release = gate();
    const app = new App({ logger: false, fastify: { handlerTimeout: 20 } });
    app.get('/slow', async () => {
      await release.promise;
      return { late: true };
    });

    const res = await app.inject({ method: 'GET', url: '/slow' });
    release.open();
    await app.close();

    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'Service Unavailable' });
  });
});

describe('request errors', () => {
  let app: App;

  beforeEach(() => {
    app = new App({ logger: false, bodyLimit: 100 });
    app.post('/echo', (req: Request) => ({ body: req.body }));
    app.get('/only-get', () => ({ ok: true }));
  });

  afterEach(async () => {
    await app.close();
  });

  test('answers 400 for malformed JSON', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: '{"a":', headers: { 'content-type': 'application/json' } });

    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(typeof res.json().message).toBe('string');
  });

  test('answers 400 for a body with a __proto__ key', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: '{"name":"x","__proto__":{"admin":true}}',
      headers: { 'content-type': 'application/json' },
    });

    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  test('answers 413 for a body over bodyLimit', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { text: 'x'.repeat(200) } });

    expect(res.statusCode).toBe(413);
    // fastify's own framework errors keep their message.
    expect(res.json()).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'Request body is too large', code: 'CELLO_ERR_BODY_TOO_LARGE' });
  });

  test('accepts a body under bodyLimit', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { text: 'short' } });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ body: { text: 'short' } });
  });

  test('answers 415 for an unsupported content type', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: '<a>1</a>', headers: { 'content-type': 'application/xml' } });

    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({ statusCode: 415, error: 'Unsupported Media Type', message: 'Unsupported Media Type' });
  });

  test('answers 404 for an unknown route', async () => {
    const res = await app.inject({ method: 'GET', url: '/nowhere' });

    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  test('answers 405 with Allow for a known path with another method', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/only-get' });

    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.json()).toMatchObject({ statusCode: 405, error: 'Method Not Allowed' });
  });

  test('a JSON body nested deeper than 32 levels is 422 on every route, before any handler or serializer sees it', async () => {
    const echoed: unknown[] = [];
    const big = new App({ logger: false });
    big.post('/echo', (req: Request) => {
      echoed.push(req.body);
      return { body: req.body };
    });
    big.post('/ignore', () => ({ ok: true }));
    const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    const post = (url: string, payload: string, type = 'application/json') => big.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });

    const echo = await post('/echo', deep(10_000));
    const arrays = await post('/echo', `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    const ignored = await post('/ignore', deep(33));
    const vendorType = await post('/echo', deep(10_000), 'application/vnd.api+json');
    const atTheCap = await post('/echo', deep(32));
    const inStrings = await post('/echo', JSON.stringify({ text: '{['.repeat(100) }));
    await big.close();

    for (const res of [echo, arrays, ignored, vendorType]) {
      expect(res.statusCode).toBe(422);
      expect(res.json()).toEqual({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'Validation failed',
        details: [{ path: '', messages: ['body is nested more than 32 levels deep'] }],
      });
    }
    expect(atTheCap.statusCode).toBe(200);
    expect(inStrings.statusCode).toBe(200);
    expect(echoed).toHaveLength(2);
  });

  test('parses an x-www-form-urlencoded body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: 'name=pen&price=1.5',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ body: { name: 'pen', price: '1.5' } });
  });
});

