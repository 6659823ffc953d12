import http from 'node:http';
import net from 'node:net';
import {
  App, Controller, Depends, Get, HttpError, Injectable, Post, Request, RequestContext, Singleton,
} from '@cello/core';
import { gate, logSink, until } from './helpers/gate';

function makeApp(controllers: Function[], extra: Record<string, unknown> = {}): App {
  return new App({ controllers: controllers as never, logger: false, handleSignals: false, ...extra });
}

describe('Depends', () => {
  test('plain, async, generator and async-generator dependencies give their values', async () => {
    const plain = () => 1;
    const promised = async () => 2;
    function* sync() { yield 3; }
    async function* asyncGen() { yield 4; }

    @Controller('/')
    class C {
      @Get('/values')
      values(@Depends(plain) a: number, @Depends(promised) b: number, @Depends(sync) c: number, @Depends(asyncGen) d: number) {
        return [a, b, c, d];
      }
    }
    const app = makeApp([C]);
    const res = await app.inject('/values');
    expect(res.json()).toEqual([1, 2, 3, 4]);
    await app.close();
  });

  test('only real generators are treated as generators: look-alikes and null-prototype values are plain values', async () => {
    const bare = () => Object.assign(Object.create(null), { kind: 'bare' });
    const lookAlike = () => ({ [Symbol.toStringTag]: 'AsyncGenerator', next: () => Promise.resolve({ done: true }), kind: 'look-alike' });
    const iterator = () => [1, 2][Symbol.iterator]();

    @Controller('/')
    class C {
      @Get('/values')
      values(@Depends(bare) a: { kind: string }, @Depends(lookAlike) b: { kind: string }, @Depends(iterator) c: Iterator<number>) {
        return [a.kind, b.kind, c.next().value];
      }
    }
    const app = makeApp([C]);
    const res = await app.inject('/values');
    expect(res.json()).toEqual(['bare', 'look-alike', 1]);
    await app.close();
  });

  test('a sub-dependency is resolved once per request, however many ask for it', async () => {
    let opened = 0;
    async function* getDb() { opened++; yield { id: opened }; }
    async function getUser(ctx: RequestContext) { const db = await ctx.resolve(getDb); return { name: 'alice', db: db.id }; }
    async function getAudit(ctx: RequestContext) { const db = await ctx.resolve(getDb); return { db: db.id }; }

    @Controller('/')
    class C {
      @Get('/me')
      me(@Depends(getUser) user: { db: number }, @Depends(getAudit) audit: { db: number }, @Depends(getDb) db: { id: number }) {
        return { user: user.db, audit: audit.db, db: db.id };
      }
    }
    const app = makeApp([C]);
    expect((await app.inject('/me')).json()).toEqual({ user: 1, audit: 1, db: 1 });
    expect((await app.inject('/me')).json()).toEqual({ user: 2, audit: 2, db: 2 });
    expect(opened).toBe(2);
    await app.close();
  });

  test('cleanups run once, after the response, newest first', async () => {
    const events: string[] = [];
    async function* first() { events.push('open first'); try { yield 'a'; } finally { events.push('close first'); } }
    async function* second(ctx: RequestContext) { await ctx.resolve(first); events.push('open second'); try { yield 'b'; } finally { events.push('close second'); } }

    @Controller('/')
    class C {
      @Get('/x') x(@Depends(second) b: string, @Depends(first) a: string) { events.push('handler'); return { a, b }; }
    }
    const app = makeApp([C]);
    expect((await app.inject('/x')).json()).toEqual({ a: 'a', b: 'b' });
    await until(() => events.length === 5);
    expect(events).toEqual(['open first', 'open second', 'handler', 'close second', 'close first']);
    await app.close();
    expect(events).toHaveLength(5);
  });

  test('the client has its response while cleanup is still running', async () => {
    const release = gate();
    let cleaned = false;
    async function* slowCleanup() { try { yield 'v'; } finally { await release.promise; cleaned = true; } }

    @Controller('/')
    class C { @Get('/x') x(@Depends(slowCleanup) v: string) { return { v }; } }
    const app = makeApp([C]);
    const res = await app.inject('/x');
    expect(res.json()).toEqual({ v: 'v' });
    expect(cleaned).toBe(false);
    release.open();
    await until(() => cleaned);
    await app.close();
  });

  test("a handler's error is thrown into the generator, whose catch can roll back", async () => {
    const events: string[] = [];
    async function* transaction() {
      events.push('begin');
      try {
        yield { insert: (v: string) => events.push(`insert ${v}`) };
        events.push('commit');
      } catch (err) {
        events.push(`rollback: ${(err as Error).message}`);
        throw err;
      }
    }

    @Controller('/')
    class C {
      @Post('/ok') ok(@Depends(transaction) tx: { insert(v: string): void }) { tx.insert('a'); return { ok: true }; }
      @Post('/fail') fail(@Depends(transaction) tx: { insert(v: string): void }) { tx.insert('b'); throw HttpError.conflict('duplicate'); }
    }
    const app = makeApp([C]);
    expect((await app.inject({ method: 'POST', url: '/ok' })).statusCode).toBe(200);
    await until(() => events.includes('commit'));
    const res = await app.inject({ method: 'POST', url: '/fail' });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('duplicate');
    await until(() => events.some((e) => e.startsWith('rollback')));
    expect(events).toEqual(['begin', 'insert a', 'commit', 'begin', 'insert b', 'rollback: duplicate']);
    await app.close();
  });

  test("cleanup: 'before-response' closes before the reply, and a failing commit becomes the error response", async () => {
    const events: string[] = [];
    let failCommit = false;
    async function* unitOfWork() {
      yield 'uow';
      if (failCommit) throw HttpError.conflict('commit failed: serialization error');
      events.push('committed');
    }

    @Controller('/')
    class C {
      @Post('/save') save(@Depends(unitOfWork, { cleanup: 'before-response' }) uow: string) { return { uow }; }
    }
    const app = makeApp([C]);
    const ok = await app.inject({ method: 'POST', url: '/save' });
    expect(ok.statusCode).toBe(200);
    expect(events).toEqual(['committed']); // already done when the client got the response
    failCommit = true;
    const bad = await app.inject({ method: 'POST', url: '/save' });
    expect(bad.statusCode).toBe(409);
    expect(bad.json().message).toBe('commit failed: serialization error');
    await app.close();
  });

  test("a failing 'before-response' cleanup is logged once: as the error of the response it became", async () => {
    const sink = logSink();
    async function* commit() { yield 'tx'; throw new Error('commit failed'); }
    async function* audit() { yield 'audit'; throw new Error('audit flush failed'); }

    @Controller('/')
    class C {
      @Post('/one') one(@Depends(commit, { cleanup: 'before-response' }) tx: string) { return { tx }; }
      @Post('/two')
      two(@Depends(commit, { cleanup: 'before-response' }) tx: string, @Depends(audit, { cleanup: 'before-response' }) a: string) {
        return { tx, a };
      }
    }
    const app = makeApp([C], { logger: { level: 'info', stream: sink.stream } });
    const errors = () => sink.lines.filter((line) => line.level >= 40);

    expect((await app.inject({ method: 'POST', url: '/one' })).statusCode).toBe(500);
    await app.close(); // every cleanup and log line of the request is done
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({ err: { message: 'commit failed' }, msg: 'POST /one failed: commit failed' });

    // Two failures: the first to run (audit, newest first) becomes the response, the other is
    // logged as a cleanup failure; each once.
    sink.lines.length = 0;
    const second = makeApp([C], { logger: { level: 'info', stream: sink.stream } });
    expect((await second.inject({ method: 'POST', url: '/two' })).statusCode).toBe(500);
    await second.close();
    expect(errors().map((line) => line.err.message).sort()).toEqual(['audit flush failed', 'commit failed']);
    expect(errors().find((line) => line.err.message === 'commit failed')).toMatchObject({ code: 'CELLO_ERR_DI_CLEANUP_FAILED', dependency: 'commit' });
  });

  test('a cleanup that throws is logged and does not stop the other cleanups', async () => {
    const sink = logSink();
    const events: string[] = [];
    async function* good() { try { yield 1; } finally { events.push('good closed'); } }
    async function* bad() { yield 2; throw new Error('release failed'); }

    @Controller('/')
    class C { @Get('/x') x(@Depends(good) a: number, @Depends(bad) b: number) { return { a, b }; } }
    const app = makeApp([C], { logger: { level: 'error', stream: sink.stream } });
    expect((await app.inject('/x')).statusCode).toBe(200);
    await until(() => events.length === 1 && sink.lines.length === 1);
    expect(sink.lines[0]).toMatchObject({ code: 'CELLO_ERR_DI_CLEANUP_FAILED', dependency: 'bad', err: { message: 'release failed' } });
    expect(typeof sink.lines[0]!.reqId).toBe('string');
    await app.close();
  });

  test('cleanup runs when a later dependency fails', async () => {
    const events: string[] = [];
    async function* conn() { try { yield 'c'; } finally { events.push('conn closed'); } }
    async function denied(): Promise<string> { throw HttpError.unauthorized('Invalid token'); }

    @Controller('/')
    class C { @Get('/x') x(@Depends(conn) c: string, @Depends(denied) u: string) { events.push('handler'); return { c, u }; } }
    const app = makeApp([C]);
    const res = await app.inject('/x');
    expect(res.statusCode).toBe(401);
    await until(() => events.length === 1);
    expect(events).toEqual(['conn closed']);
    await app.close();
  });

  test('a generator that never yields is a clear 500 and is logged with its code', async () => {
    const sink = logSink();
    // eslint-disable-next-line require-yield
    async function* neverYields() { return; }
    @Controller('/')
    class C { @Get('/x') x(@Depends(neverYields) v: unknown) { return { v }; } }
    const app = makeApp([C], { logger: { level: 'error', stream: sink.stream } });
    const res = await app.inject('/x');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' });
    expect(sink.lines[0]!.err.code).toBe('CELLO_ERR_DI_NO_YIELD');
    await app.close();
  });

  test('a generator that yields twice is logged as a programming error and closed', async () => {
    const sink = logSink();
    let closed = false;
    async function* twice() { try { yield 1; yield 2; } finally { closed = true; } }
    @Controller('/')
    class C { @Get('/x') x(@Depends(twice) v: number) { return { v }; } }
    const app = makeApp([C], { logger: { level: 'error', stream: sink.stream } });
    expect((await app.inject('/x')).json()).toEqual({ v: 1 });
    await until(() => closed);
    expect(sink.lines.map((l) => l.code)).toContain('CELLO_ERR_DI_YIELDED_TWICE');
    await app.close();
  });

  test('a dependency cycle fails with a message naming the chain', async () => {
    const sink = logSink();
    async function a(ctx: RequestContext): Promise<unknown> { return ctx.resolve(b); }
    async function b(ctx: RequestContext): Promise<unknown> { return ctx.resolve(a); }
    @Controller('/')
    class C { @Get('/x') x(@Depends(a) v: unknown) { return { v }; } }
    const app = makeApp([C], { logger: { level: 'error', stream: sink.stream } });
    expect((await app.inject('/x')).statusCode).toBe(500);
    expect(sink.lines[0]!.err.code).toBe('CELLO_ERR_DI_CYCLE');
    expect(sink.lines[0]!.err.message).toContain('a -> b -> a');
    await app.close();
  });

  test('overrideDependency replaces a dependency everywhere, including as a sub-dependency', async () => {
    async function* getDb() { yield 'real db'; }
    async function getUser(ctx: RequestContext) { return `user from ${await ctx.resolve(getDb)}`; }
    @Controller('/')
    class C { @Get('/x') x(@Depends(getUser) user: string, @Depends(getDb) db: string) { return { user, db }; } }
    const app = makeApp([C]);
    app.overrideDependency(getDb, async function* fakeDb() { yield 'fake db'; });
    expect((await app.inject('/x')).json()).toEqual({ user: 'user from fake db', db: 'fake db' });
    await app.close();
  });

  test('ctx.container is a per-request child of the app container', async () => {
    @Singleton() class Counter { n = 0; }
    @Injectable() class PerCall { constructor(readonly counter: Counter) { counter.n++; } }
    async function useContainer(ctx: RequestContext) { return ctx.container.resolve(PerCall); }
    let seen: RequestContext['container'][] = [];
    @Controller('/')
    class C {
      @Get('/x') x(@Depends(useContainer) p: PerCall, ctx: RequestContext) { seen.push(ctx.container); return { n: p.counter.n }; }
    }
    const app = makeApp([C]);
    expect((await app.inject('/x')).json()).toEqual({ n: 1 });
    expect((await app.inject('/x')).json()).toEqual({ n: 2 }); // the singleton is the app's, shared
    expect(seen[0]).not.toBe(seen[1]);
    expect(seen[0]).not.toBe(app.container);
    // overriding a service through the app container reaches request containers too
    app.container.register(Counter, { useValue: { n: 100 } });
    expect((await app.inject('/x')).json()).toEqual({ n: 101 });
    seen = [];
    await app.close();
  });

  test('cleanup runs when the client disconnects mid-request', async () => {
    const handlerStarted = gate();
    const release = gate();
    const events: string[] = [];
    async function* conn() { try { yield 'c'; } finally { events.push('closed'); } }
    @Controller('/')
    class C {
      @Get('/slow') async slow(@Depends(conn) c: string) { handlerStarted.open(); await release.promise; events.push('handler done'); return { c }; }
    }
    const app = makeApp([C]);
    try {
      const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
      const serverSide = new Promise<net.Socket>((r) => app.fastify.server.once('connection', r));
      const req = http.get({ host: url.hostname, port: url.port, path: '/slow' });
      req.on('error', () => undefined);
      await handlerStarted.promise;
      req.destroy();
      const socket = await serverSide;
      // The server has seen the client go before the handler finishes.
      await new Promise((r) => (socket.destroyed ? r(null) : socket.once('close', r)));
      release.open();
      await until(() => events.length === 2);
      expect(events).toEqual(['handler done', 'closed']);
    } finally {
      await app.close();
    }
  });

  test('a handler without dependencies creates no request container', async () => {
    let created = 0;
    @Controller('/')
    class C { @Get('/x') x(req: Request) { return { path: req.path }; } }
    const app = makeApp([C]);
    const original = app.container.createChildContainer.bind(app.container);
    app.container.createChildContainer = () => { created++; return original(); };
    expect((await app.inject('/x')).json()).toEqual({ path: '/x' });
    expect(created).toBe(0);
    await app.close();
  });
});

describe('DI errors at startup', () => {
  test('an unresolvable constructor parameter names the chain and the fix', async () => {
    interface Mailer { send(): void }
    @Injectable() class Notifier { constructor(readonly mailer: Mailer) {} }
    @Controller('/') class C { constructor(readonly notifier: Notifier) {} @Get('/') x() { return 1; } }
    const app = makeApp([C]);
    await expect(app.ready()).rejects.toMatchObject({
      code: 'CELLO_ERR_DI_INTERFACE_PARAM',
      message: expect.stringContaining('C -> Notifier'),
    });
  });

  test('a service without @Injectable and without metadata is named', async () => {
    class Plain { constructor(readonly x: unknown) {} }
    @Controller('/') class C { constructor(readonly plain: Plain) {} @Get('/') x() { return 1; } }
    const app = makeApp([C]);
    await expect(app.ready()).rejects.toMatchObject({ code: 'CELLO_ERR_DI_NO_METADATA', message: expect.stringContaining('C -> Plain') });
  });

  test('a constructor cycle names the chain', async () => {
    @Injectable() class A { constructor(readonly b: unknown) {} }
    @Injectable() class B { constructor(readonly a: A) {} }
    // What a cycle across two files looks like once both are loaded.
    Reflect.defineMetadata('design:paramtypes', [B], A);
    @Controller('/') class C { constructor(readonly a: A) {} @Get('/') x() { return 1; } }
    const app = makeApp([C]);
    await expect(app.ready()).rejects.toMatchObject({ code: 'CELLO_ERR_DI_CYCLE', message: expect.stringContaining('C -> A -> B -> A') });
  });

  test('a class used before it was defined (circular import) is named', async () => {
    @Injectable() class Later { }
    @Injectable() class Early { constructor(readonly later: Later) {} }
    Reflect.defineMetadata('design:paramtypes', [undefined], Early);
    @Controller('/') class C { constructor(readonly early: Early) {} @Get('/') x() { return 1; } }
    const app = makeApp([C]);
    await expect(app.ready()).rejects.toMatchObject({ code: 'CELLO_ERR_DI_UNDEFINED_PARAM', message: expect.stringContaining('C -> Early') });
  });
});
