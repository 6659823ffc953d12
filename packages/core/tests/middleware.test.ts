import { IsString } from 'class-validator';
import { App, Controller, Get, HttpError, Post, Response, type Middleware } from '@cello/core';

describe('app.use(middleware)', () => {
  let app: App;

  beforeEach(() => {
    app = new App({ logger: false });
  });

  afterEach(async () => {
    await app.close();
  });

  test('runs in onion order around the handler', async () => {
    const log: string[] = [];
    app.use(async (_ctx, next) => {
      log.push('outer before');
      const result = await next();
      log.push('outer after');
      return result;
    });
    app.use(async (_ctx, next) => {
      log.push('inner before');
      const result = await next();
      log.push('inner after');
      return result;
    });
    app.get('/x', () => {
      log.push('handler');
      return { ok: true };
    });

    const res = await app.inject({ method: 'GET', url: '/x' });

    expect(res.json()).toEqual({ ok: true });
    expect(log).toEqual(['outer before', 'inner before', 'handler', 'inner after', 'outer after']);
  });

  test('applies to controller routes too, and to every request', async () => {
    let calls = 0;
    @Controller('/c')
    class C {
      @Get('/')
      get() { return { ok: true }; }
    }
    app.register(C);
    app.use((_ctx, next) => { calls++; return next(); });

    await app.inject({ method: 'GET', url: '/c' });
    await app.inject({ method: 'GET', url: '/c' });

    expect(calls).toBe(2);
  });

  test('next() resolves to what the handler returned: a plain value', async () => {
    let seen: unknown;
    app.use(async (_ctx, next) => {
      seen = await next();
      return seen;
    });
    app.get('/value', async () => ({ n: 1 }));

    await app.inject({ method: 'GET', url: '/value' });

    expect(seen).toEqual({ n: 1 });
  });

  test('next() resolves to what the handler returned: a Response, status and headers intact', async () => {
    let seen: unknown;
    app.use(async (_ctx, next) => {
      seen = await next();
      return seen;
    });
    app.post('/created', () => Response.json({ id: 7 }, { status: 201, headers: { location: '/items/7' } }));

    const res = await app.inject({ method: 'POST', url: '/created' });

    expect(seen).toBeInstanceOf(Response);
    expect((seen as Response).status).toBe(201);
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('/items/7');
    expect(res.json()).toEqual({ id: 7 });
  });

  test('a sync handler\'s value reaches next() too', async () => {
    let seen: unknown;
    app.use(async (_ctx, next) => { seen = await next(); return seen; });
    app.get('/sync', () => 'plain text');

    const res = await app.inject({ method: 'GET', url: '/sync' });

    expect(seen).toBe('plain text');
    expect(res.body).toBe('plain text');
  });

  test('a middleware can replace the result with another value', async () => {
    app.use(async (_ctx, next) => ({ data: await next(), version: 2 }));
    app.get('/x', () => ({ n: 1 }));

    const res = await app.inject({ method: 'GET', url: '/x' });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ data: { n: 1 }, version: 2 });
  });

  test('a middleware can replace the result with a Response; the outer one sees the replacement', async () => {
    let outerSaw: unknown;
    app.use(async (_ctx, next) => { outerSaw = await next(); return outerSaw; });
    app.use(async (_ctx, next) => Response.json(await next(), { status: 202, headers: { 'x-inner': 'yes' } }));
    app.get('/x', () => ({ n: 1 }));

    const res = await app.inject({ method: 'GET', url: '/x' });

    expect(outerSaw).toBeInstanceOf(Response);
    expect(res.statusCode).toBe(202);
    expect(res.headers['x-inner']).toBe('yes');
    expect(res.json()).toEqual({ n: 1 });
  });

  test('a middleware can answer without calling the handler', async () => {
    let ran = false;
    app.use((ctx, next) => (ctx.request.header('x-maintenance') ? Response.json({ down: true }, 503) : next()));
    app.get('/x', () => { ran = true; return { ok: true }; });

    const res = await app.inject({ method: 'GET', url: '/x', headers: { 'x-maintenance': '1' } });

    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ down: true });
    expect(ran).toBe(false);
  });

  test('a middleware can set headers on ctx.reply', async () => {
    app.use(async (ctx, next) => {
      const result = await next();
      ctx.reply.header('x-served-by', 'cello');
      return result;
    });
    app.get('/x', () => ({ ok: true }));

    expect((await app.inject({ method: 'GET', url: '/x' })).headers['x-served-by']).toBe('cello');
  });

  test('a middleware can catch a handler\'s error and turn it into a response', async () => {
    app.use(async (_ctx, next) => {
      try {
        return await next();
      } catch (err) {
        if (err instanceof HttpError && err.statusCode === 404) return Response.json({ fallback: true }, 200);
        throw err;
      }
    });
    app.get('/missing', async () => { throw HttpError.notFound('gone'); });
    app.get('/conflict', () => { throw HttpError.conflict('taken'); });

    const missing = await app.inject({ method: 'GET', url: '/missing' });
    const conflict = await app.inject({ method: 'GET', url: '/conflict' });

    expect(missing.statusCode).toBe(200);
    expect(missing.json()).toEqual({ fallback: true });
    // Rethrown errors are answered as usual.
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toEqual({ statusCode: 409, error: 'Conflict', message: 'taken' });
  });

  test('a middleware sees validation errors like any other error', async () => {
    class Item {
      @IsString()
      name!: string;
    }
    @Controller('/items')
    class ItemsController {
      @Post('/')
      create(item: Item) { return item; }
    }
    app.register(ItemsController);
    const caught: number[] = [];
    app.use(async (_ctx, next) => {
      try {
        return await next();
      } catch (err) {
        caught.push((err as HttpError).statusCode);
        throw err;
      }
    });

    const res = await app.inject({ method: 'POST', url: '/items', payload: { name: 1 } });

    expect(res.statusCode).toBe(422);
    expect(caught).toEqual([422]);
  });

  test('a middleware throwing an HttpError answers with it', async () => {
    app.use(() => { throw HttpError.unauthorized('no session'); });
    app.get('/x', () => ({ ok: true }));

    const res = await app.inject({ method: 'GET', url: '/x' });

    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('no session');
  });

  test('calling next() twice is an error (the handler runs once)', async () => {
    let runs = 0;
    let second: unknown;
    app.use(async (_ctx, next) => {
      const first = await next();
      try {
        await next();
      } catch (err) {
        second = err;
      }
      return first;
    });
    app.get('/x', () => { runs++; return { runs }; });

    const res = await app.inject({ method: 'GET', url: '/x' });

    expect(res.json()).toEqual({ runs: 1 });
    expect(runs).toBe(1);
    expect(second).toBeInstanceOf(Error);
    expect((second as Error & { code?: string }).code).toBe('CELLO_ERR_MIDDLEWARE_NEXT_TWICE');
    expect((second as Error).message).toMatch(/called next\(\) more than once/);
  });

  test('a middleware that lets the double next() escape gets a 500, not a second handler run', async () => {
    let runs = 0;
    app.use(async (_ctx, next) => {
      await next();
      return next();
    });
    app.get('/x', () => { runs++; return {}; });

    const res = await app.inject({ method: 'GET', url: '/x' });

    expect(res.statusCode).toBe(500);
    expect(runs).toBe(1);
  });

  test('middleware runs after guards: a denied request never reaches it', async () => {
    const log: string[] = [];
    app.use(async (_ctx, next) => { log.push('middleware'); return next(); });
    app.get('/x', () => ({}), { guards: [{ canActivate: () => false }] });

    expect((await app.inject({ method: 'GET', url: '/x' })).statusCode).toBe(403);
    expect(log).toEqual([]);
  });

  test('use() rejects what is not a function, and refuses after start', async () => {
    expect(() => app.use('nope' as unknown as Middleware)).toThrow(expect.objectContaining({ code: 'CELLO_ERR_MIDDLEWARE_INVALID' }));

    app.get('/x', () => ({}));
    await app.ready();

    expect(() => app.use((_c, next) => next())).toThrow(expect.objectContaining({ code: 'CELLO_ERR_ROUTE_AFTER_START' }));
  });
});
