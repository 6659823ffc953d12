import http from 'node:http';
import { App, BackgroundTasks, Depends, HttpError, Request, RequestContext, Response, type Guard, type Middleware } from '@cello/core';
import { gate, logSink, until } from '../helpers/gate';

/**
 * Faults in app code: each case checks the answer, that the app still serves afterwards, and
 * that nothing leaked: every dependency opened was released once, and close() finds no work
 * left running (it would log CELLO_ERR_LIFECYCLE_SHUTDOWN_TIMEOUT).
 */
function makeApp(extra: Record<string, unknown> = {}) {
  const sink = logSink();
  const counts = { opened: 0, released: 0 };
  async function* getDb() {
    counts.opened++;
    try { yield { conn: counts.opened }; } finally { counts.released++; }
  }
  const app = new App({ logger: { level: 'info', stream: sink.stream } as never, handleSignals: false, shutdownTimeout: 1, ...extra });
  app.get('/ok', () => ({ ok: true }));
  return { app, sink, counts, getDb };
}

async function closeClean(app: App, sink: ReturnType<typeof logSink>, counts: { opened: number; released: number }) {
  await until(() => counts.released === counts.opened);
  expect((await app.inject('/ok')).json()).toEqual({ ok: true });
  await app.close();
  expect(sink.lines.filter((l) => l.code === 'CELLO_ERR_LIFECYCLE_SHUTDOWN_TIMEOUT')).toEqual([]);
  expect(counts.released).toBe(counts.opened);
}

const codes = (sink: ReturnType<typeof logSink>) => sink.lines.map((l) => l.code).filter(Boolean);

async function listen(app: App): Promise<number> {
  return Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port);
}

describe('faults in app code', () => {
  test('a handler that throws after the reply was sent: the client keeps its answer, the error is logged, cleanup runs once', async () => {
    const { app, sink, counts, getDb } = makeApp();
    app.get('/sent-then-throw', async (_req: Request, ctx: RequestContext) => {
      await ctx.resolve(getDb);
      await ctx.reply.send({ early: true });
      throw new Error('failed after sending');
    });
    const res = await app.inject('/sent-then-throw');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ early: true });
    await until(() => counts.released === 1);
    expect(sink.lines.some((l) => l.level >= 40 && JSON.stringify(l).includes('failed after sending'))).toBe(true);
    await closeClean(app, sink, counts);
  });

  test('a cleanup that throws: the answer stands, the failure is logged with its code, the other cleanups still run', async () => {
    const { app, sink, counts, getDb } = makeApp();
    async function* badCleanup(ctx: RequestContext) {
      await ctx.resolve(getDb);
      try { yield 'x'; } finally { throw new Error('release failed'); }
    }
    app.get('/bad-cleanup', async (_req: Request, ctx: RequestContext) => ({ value: await ctx.resolve(badCleanup) }));
    for (let i = 0; i < 3; i++) expect((await app.inject('/bad-cleanup')).json()).toEqual({ value: 'x' });
    await until(() => counts.released === 3);
    expect(codes(sink).filter((c) => c === 'CELLO_ERR_DI_CLEANUP_FAILED')).toHaveLength(3);
    await closeClean(app, sink, counts);
  });

  test('a background task that rejects: logged, the next task still runs, the app serves', async () => {
    const { app, sink, counts } = makeApp();
    const ran: string[] = [];
    app.get('/tasks', (_req: Request, ctx: RequestContext) => {
      ctx.background.add(async () => { ran.push('first'); throw new Error('task failed'); });
      ctx.background.add(() => Promise.reject('a string, not an Error'));
      ctx.background.add(() => { ran.push('third'); });
      return { queued: 3 };
    });
    expect((await app.inject('/tasks')).json()).toEqual({ queued: 3 });
    await until(() => ran.includes('third'));
    expect(ran).toEqual(['first', 'third']);
    expect(sink.lines.filter((l) => l.level >= 50 && /task/i.test(l.msg)).length).toBeGreaterThanOrEqual(2);
    await closeClean(app, sink, counts);
  });

  test.each([
    ['a string', 'boom'],
    ['null', null],
    ['undefined', undefined],
    ['an object', { reason: 'secret internal detail' }],
    ['a number', 42],
  ])('a throw of %s: 500 in the JSON error shape with nothing of it, cleanup sees a failure, tasks are dropped', async (_label, thrown) => {
    const { app, sink, counts, getDb } = makeApp();
    const seen: string[] = [];
    async function* tx(ctx: RequestContext) {
      await ctx.resolve(getDb);
      try { yield 'tx'; seen.push('commit'); } catch { seen.push('rollback'); }
    }
    let taskRan = false;
    app.get('/throw', async (_req: Request, ctx: RequestContext) => {
      await ctx.resolve(tx);
      ctx.background.add(() => { taskRan = true; });
      throw thrown;
    });
    const res = await app.inject('/throw');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' });
    expect(res.body).not.toContain('secret');
    await until(() => counts.released === 1);
    expect(seen).toEqual(['rollback']);
    await new Promise((r) => setImmediate(r));
    expect(taskRan).toBe(false);
    await closeClean(app, sink, counts);
  });

  test('a guard, a middleware or a dependency that throws: 500, the dependencies opened before it are released once', async () => {
    const { app, sink, counts, getDb } = makeApp();
    const throwingGuard: Guard = { canActivate: () => { throw new TypeError('guard bug'); } };
    const bodyGuard: Guard = { readsBody: true, canActivate: () => { throw 'guard string'; } } as Guard;
    async function failing(ctx: RequestContext) {
      await ctx.resolve(getDb);
      throw new Error('dependency bug');
    }
    const middleware: Middleware = async (ctx, next) => {
      if (ctx.request.path === '/mw') throw new RangeError('middleware bug');
      return next();
    };
    app.use(middleware);
    app.get('/guard', () => 'never', { guards: [throwingGuard] });
    app.post('/body-guard', () => 'never', { guards: [bodyGuard] });
    app.get('/mw', () => 'never');
    app.get('/dep', async (_req: Request, ctx: RequestContext) => ctx.resolve(failing));
    for (const [method, url] of [['GET', '/guard'], ['POST', '/body-guard'], ['GET', '/mw'], ['GET', '/dep']] as const) {
      const res = await app.inject({ method, url, payload: method === 'POST' ? { a: 1 } : undefined });
      expect({ url, status: res.statusCode, body: res.json() }).toEqual({ url, status: 500, body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' } });
    }
    await closeClean(app, sink, counts);
  });

  test('an HttpError from a guard or dependency keeps its status, and cleanup still runs once', async () => {
    const { app, sink, counts, getDb } = makeApp();
    async function needsUser(ctx: RequestContext) {
      await ctx.resolve(getDb);
      throw HttpError.unauthorized('Invalid token');
    }
    app.get('/me', async (_req: Request, ctx: RequestContext) => ctx.resolve(needsUser));
    expect((await app.inject('/me')).statusCode).toBe(401);
    await closeClean(app, sink, counts);
  });
});

describe('clients that go away (real sockets)', () => {
  test('a client that aborts mid-request: the handler finishes, cleanup runs exactly once, tasks still run', async () => {
    const { app, sink, counts, getDb } = makeApp();
    const held = gate();
    let handlerDone = 0;
    let taskRan = 0;
    app.get('/held', async (_req: Request, ctx: RequestContext, ) => {
      await ctx.resolve(getDb);
      ctx.background.add(() => { taskRan++; });
      await held.promise;
      handlerDone++;
      return { done: true };
    });
    const port = await listen(app);
    await new Promise<void>((resolve) => {
      const req = http.get({ port, host: '127.0.0.1', path: '/held', agent: false });
      req.on('error', () => resolve());
      setTimeout(() => until(() => counts.opened === 1).then(() => { req.destroy(); }), 0);
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(counts.released).toBe(0);
    held.open();
    await until(() => handlerDone === 1 && counts.released === 1 && taskRan === 1);
    expect(counts).toEqual({ opened: 1, released: 1 });
    await closeClean(app, sink, counts);
  });

  test('a client that aborts mid-body: no handler runs, nothing is left open', async () => {
    const { app, sink, counts, getDb } = makeApp();
    let handled = 0;
    app.post('/upload', async (_req: Request, ctx: RequestContext) => { handled++; await ctx.resolve(getDb); return {}; });
    const port = await listen(app);
    await new Promise<void>((resolve) => {
      const req = http.request({ port, host: '127.0.0.1', path: '/upload', method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': 1000 } });
      req.on('error', () => resolve());
      req.write('{"a":"');
      setTimeout(() => req.destroy(), 20);
    });
    expect((await fetch(`http://127.0.0.1:${port}/ok`)).status).toBe(200);
    expect(handled).toBe(0);
    await closeClean(app, sink, counts);
  });

  test('a client that aborts mid-stream: the stream\'s source ends, the dependency is released exactly once', async () => {
    const { app, sink, counts, getDb } = makeApp();
    let sourceClosed = 0;
    app.get('/stream', async (_req: Request, ctx: RequestContext) => {
      const db = await ctx.resolve(getDb);
      async function* chunks() {
        try {
          for (let i = 0; ; i++) {
            yield Buffer.from(`chunk ${i} from ${db.conn}\n`);
            await new Promise((r) => setTimeout(r, 5));
          }
        } finally {
          sourceClosed++;
        }
      }
      return Response.stream(chunks(), { headers: { 'content-type': 'text/plain' } });
    });
    const port = await listen(app);
    await new Promise<void>((resolve) => {
      const req = http.get({ port, host: '127.0.0.1', path: '/stream', agent: false }, (res) => {
        res.once('data', () => req.destroy());
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
    });
    await until(() => sourceClosed === 1 && counts.released === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect({ sourceClosed, ...counts }).toEqual({ sourceClosed: 1, opened: 1, released: 1 });
    await closeClean(app, sink, counts);
  });

  test('a stream whose source throws after the headers went out: the connection is cut, logged, the app serves', async () => {
    const { app, sink, counts, getDb } = makeApp();
    app.get('/broken-stream', async (_req: Request, ctx: RequestContext) => {
      await ctx.resolve(getDb);
      async function* chunks() {
        yield Buffer.from('first\n');
        await new Promise((r) => setTimeout(r, 5));
        throw new Error('source failed mid-stream');
      }
      return Response.stream(chunks());
    });
    const port = await listen(app);
    const outcome = await new Promise<string>((resolve) => {
      http.get({ port, host: '127.0.0.1', path: '/broken-stream', agent: false }, (res) => {
        let body = '';
        res.on('data', (d) => { body += d; });
        res.on('end', () => resolve(`ended: ${body}`));
        res.on('error', () => resolve(`cut after: ${body}`));
        res.on('aborted', () => resolve(`cut after: ${body}`));
      }).on('error', () => resolve('cut'));
    });
    expect(outcome).toBe('cut after: first\n');
    await closeClean(app, sink, counts);
  });
});
