import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import {
  App, BackgroundTasks, CelloError, Controller, Depends, Get, Guards, Injectable, Request, RequestContext,
  type Feature, type Guard,
} from '@cello/core';
import { logSink, until } from './helpers/gate';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The id of the request whose context is current, wherever this is called from. */
function currentId(): string | undefined {
  return RequestContext.current()?.request.id;
}

// Runs first: the storage exists once any app in the process turns the option on.
test('without any app asking for it, RequestContext.current() says how to turn it on', async () => {
  const app = new App({ logger: false });
  app.get('/who', () => currentId());
  const res = await app.inject('/who');
  expect(res.statusCode).toBe(500);
  expect(() => RequestContext.current()).toThrow(CelloError);
  expect(() => RequestContext.current()).toThrow(/requestContext: true/);
  await app.close();
});

describe('new App({ requestContext: true })', () => {
  let app: App;
  afterEach(async () => {
    await app?.close();
  });

  test('current() is the request context across await, setTimeout and an EventEmitter', async () => {
    app = new App({ logger: false, requestContext: true });
    app.get('/trail', async (req: Request) => {
      const seen: Record<string, string | undefined> = { sync: currentId() };
      await pause(1);
      seen.await = currentId();
      seen.timer = await new Promise<string | undefined>((resolve) => setTimeout(() => resolve(currentId()), 1));
      const events = new EventEmitter();
      const heard = new Promise<string | undefined>((resolve) => events.once('ready', () => resolve(currentId())));
      setImmediate(() => events.emit('ready'));
      seen.emitter = await heard;
      return { id: req.id, seen };
    });
    const body = (await app.inject('/trail')).json();
    expect(body.seen).toEqual({ sync: body.id, await: body.id, timer: body.id, emitter: body.id });
  });

  test('current() is the same object a ctx parameter gets', async () => {
    @Controller('/same')
    class Same {
      @Get('/')
      async same(ctx: RequestContext) {
        await pause(1);
        return { same: RequestContext.current() === ctx };
      }
    }
    app = new App({ logger: false, requestContext: true, controllers: [Same] });
    expect((await app.inject('/same')).json()).toEqual({ same: true });
  });

  test('a guard, middleware, a dependency and its cleanup, and a background task see their request', async () => {
    const seen: Record<string, string | undefined> = {};
    class Watching implements Guard {
      canActivate() { seen.guard = currentId(); return true; }
    }
    async function* session() {
      seen.dependency = currentId();
      try {
        yield 'session';
      } finally {
        await pause(1);
        seen.cleanup = currentId();
      }
    }
    async function audit() {
      await pause(1);
      seen.task = currentId();
    }
    @Controller('/orders')
    class Orders {
      @Get('/')
      @Guards(Watching)
      async list(@Depends(session) s: string, tasks: BackgroundTasks, req: Request) {
        tasks.add(audit);
        return { s, id: req.id };
      }
    }
    app = new App({ logger: false, requestContext: true, controllers: [Orders] });
    app.use(async (_ctx, next) => {
      seen.middleware = currentId();
      return next();
    });
    const { id } = (await app.inject('/orders')).json();
    await until(() => seen.task !== undefined && seen.cleanup !== undefined);
    expect(seen).toEqual({ guard: id, middleware: id, dependency: id, cleanup: id, task: id });
  });

  test('the onSend and onResponse hooks of features see the request, sync and async handlers alike', async () => {
    const seen: string[] = [];
    const probe: Feature = {
      name: 'probe',
      order: 100,
      forRoute: () => ({
        onSend: (request, _reply, payload, done) => { seen.push(`send ${request.id === currentId()}`); done(null, payload); },
        onResponse: (request, _reply, done) => { seen.push(`response ${request.id === currentId()}`); done(); },
      }),
    };
    app = new App({ logger: false, requestContext: true });
    app.enable(probe);
    app.get('/sync', () => ({ ok: true }));
    app.get('/async', async () => { await pause(1); return { ok: true }; });
    app.get('/fails', async () => { await pause(1); throw new Error('boom'); });
    for (const url of ['/sync', '/async', '/fails']) {
      seen.length = 0;
      await app.inject(url);
      await until(() => seen.length === 2);
      expect([url, ...seen]).toEqual([url, 'send true', 'response true']);
    }
  });

  test('100 concurrent requests over a socket each see only their own context', async () => {
    app = new App({ logger: false, requestContext: true });
    app.get('/echo/{n}', async (req: Request) => {
      const trail: Array<string | undefined> = [currentId()];
      for (let i = 0; i < 3; i++) {
        // Interleave the requests: each waits a different time between reads.
        await pause((Number(req.params.n) * 7 + i * 13) % 5);
        trail.push(currentId());
      }
      return { id: req.id, trail };
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const bodies = await Promise.all(Array.from({ length: 100 }, (_, n) => fetch(`${url}/echo/${n}`).then((r) => r.json())));
    const ids = new Set(bodies.map((b) => b.id));
    expect(ids.size).toBe(100);
    for (const body of bodies) expect(body.trail).toEqual([body.id, body.id, body.id, body.id]);
  });

  test('pipelined requests on one connection do not share a context', async () => {
    app = new App({ logger: false, requestContext: true });
    app.get('/id', async (req: Request) => { await pause(1); return `[${req.id}=${currentId()}]`; });
    const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname);
      let data = '';
      // Counts the bodies, not every '=' (a Keep-Alive header has one).
      socket.on('data', (chunk) => { data += chunk; if ((data.match(/\[[^=\]]+=[^\]]+\]/g) ?? []).length >= 3) socket.end(); });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.write('GET /id HTTP/1.1\r\nHost: x\r\n\r\nGET /id HTTP/1.1\r\nHost: x\r\n\r\nGET /id HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    const pairs = [...text.matchAll(/\[([^=\]]+)=([^\]]+)\]/g)];
    expect(pairs).toHaveLength(3);
    for (const [, id, current] of pairs) expect(current).toBe(id);
  });

  test('outside a request, current() is undefined', async () => {
    app = new App({ logger: false, requestContext: true });
    app.get('/x', () => 'x');
    await app.inject('/x');
    expect(RequestContext.current()).toBeUndefined();
  });

  test('app.log lines written inside a request carry its reqId, once; outside they do not', async () => {
    const sink = logSink();
    @Injectable()
    class Mailer {
      readonly log;
      constructor() { this.log = app.log.child({ service: 'mailer' }); }
      async send() { await pause(1); this.log.info('mail sent'); }
    }
    app = new App({ requestContext: true, logger: { level: 'info', stream: sink.stream } });
    const lines: string[] = [];
    const raw = sink.stream.write;
    sink.stream.write = (line: string) => { lines.push(line); raw(line); };
    app.get('/signup', async (req: Request) => {
      await pause(1);
      app.log.info('signing up');
      await app.container.resolve(Mailer).send();
      req.raw.log.info('request logger');
      return { id: req.id };
    });
    const { id } = (await app.inject('/signup')).json();
    app.log.info('after');
    const byMsg = Object.fromEntries(sink.lines.map((l) => [l.msg, l]));
    expect(byMsg['signing up']!.reqId).toBe(id);
    expect(byMsg['mail sent']).toMatchObject({ reqId: id, service: 'mailer' });
    expect(byMsg['request logger']!.reqId).toBe(id);
    expect(lines.find((l) => l.includes('request logger'))!.match(/"reqId"/g)).toHaveLength(1);
    expect(byMsg.after!.reqId).toBeUndefined();
  });

  test('with the option off, app.log lines have no reqId and current() is undefined in a request', async () => {
    const sink = logSink();
    app = new App({ logger: { level: 'info', stream: sink.stream } });
    app.get('/plain', async () => { await pause(1); app.log.info('plain'); return { current: RequestContext.current() ?? null }; });
    expect((await app.inject('/plain')).json()).toEqual({ current: null });
    expect(sink.lines.find((l) => l.msg === 'plain')!.reqId).toBeUndefined();
  });
});
