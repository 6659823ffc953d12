import net from 'node:net';
import { App, Controller, Depends, Get, Guards, Post, RequestContext, type Guard } from '@cello/core';
import { gate, until } from './helpers/gate';

// A request over a real socket that the client abandons once the server has started on it.
function abandonedRequest(url: string, path: string): { sent: Promise<void>; abort: () => void } {
  const { port } = new URL(url);
  const socket = net.connect(Number(port), '127.0.0.1');
  const sent = new Promise<void>((resolve) => socket.on('connect', () => {
    socket.write(`GET ${path} HTTP/1.1\r\nhost: x\r\n\r\n`);
    resolve();
  }));
  return { sent, abort: () => socket.destroy() };
}

describe('the exchange: one owner for a request\'s life', () => {
  test('close() waits for a handler still running after its client went away, then its cleanup, then shutdown hooks', async () => {
    const events: string[] = [];
    const held = gate();
    let started = false;
    async function* connection() {
      events.push('acquired');
      try { yield 'conn'; } finally { events.push('released'); }
    }
    @Controller('/')
    class SlowController {
      @Get('/slow')
      async slow(@Depends(connection) conn: string) {
        started = true;
        await held.promise;
        events.push('handler done');
        return { conn };
      }
    }
    const app = new App({ controllers: [SlowController], logger: false, handleSignals: false });
    app.onEvent('shutdown', () => { events.push('shutdown hook'); });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const client = abandonedRequest(url, '/slow');
    await client.sent;
    await until(() => started);
    client.abort();
    const closing = app.close();
    // The socket is gone: only the running handler can keep close() waiting now.
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual(['acquired']);
    held.open();
    await closing;
    expect(events).toEqual(['acquired', 'handler done', 'released', 'shutdown hook']);
  });

  test('close() waits for a plain async handler whose client went away', async () => {
    const events: string[] = [];
    const held = gate();
    let started = false;
    const app = new App({ logger: false, handleSignals: false });
    app.get('/slow', async () => {
      started = true;
      await held.promise;
      events.push('handler done');
      return { ok: true };
    });
    app.onEvent('shutdown', () => { events.push('shutdown hook'); });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const client = abandonedRequest(url, '/slow');
    await client.sent;
    await until(() => started);
    client.abort();
    const closing = app.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual([]);
    held.open();
    await closing;
    expect(events).toEqual(['handler done', 'shutdown hook']);
  });

  test('guards run before the body is read: a refused client costs no parse', async () => {
    let parsed = 0;
    let guarded = 0;
    class TokenGuard implements Guard {
      canActivate(ctx: RequestContext) { guarded++; return ctx.request.header('authorization') === 'Bearer ok'; }
    }
    @Controller('/upload')
    @Guards(TokenGuard)
    class UploadController {
      @Post('/')
      upload(ctx: RequestContext) { return { size: JSON.stringify(ctx.request.body).length }; }
    }
    const app = new App({ controllers: [UploadController], logger: false, handleSignals: false });
    // preValidation runs right after fastify has read and parsed the body.
    app.fastify.addHook('preValidation', (_req, _reply, done) => { parsed++; done(); });
    const big = JSON.stringify({ data: 'x'.repeat(900 * 1024) });

    const refused = await app.inject({ method: 'POST', url: '/upload', headers: { 'content-type': 'application/json' }, payload: big });
    expect(refused.statusCode).toBe(403);
    expect(guarded).toBe(1);
    expect(parsed).toBe(0);

    const allowed = await app.inject({ method: 'POST', url: '/upload', headers: { 'content-type': 'application/json', authorization: 'Bearer ok' }, payload: big });
    expect(allowed.statusCode).toBe(200);
    expect(parsed).toBe(1);
    await app.close();
  });

  test('a guard that reads the body says so and sees the parsed body', async () => {
    const seen: unknown[] = [];
    const signed: Guard = {
      readsBody: true,
      canActivate(ctx) { seen.push(ctx.request.text()); return ctx.request.text().includes('"ok":true'); },
    };
    const app = new App({ logger: false, handleSignals: false });
    app.post('/hook', (req) => req.json(), { guards: [signed] });
    const ok = await app.inject({ method: 'POST', url: '/hook', payload: { ok: true } });
    expect(ok.statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/hook', payload: { ok: false } })).statusCode).toBe(403);
    expect(seen).toEqual(['{"ok":true}', '{"ok":false}']);
    await app.close();
  });

  test('a dependency resolved by an early guard is cleaned up once, also when the body then fails to parse', async () => {
    const events: string[] = [];
    async function* session() {
      events.push('open');
      try { yield 's'; } finally { events.push('close'); }
    }
    const guard: Guard = { async canActivate(ctx) { await ctx.resolve(session); return true; } };
    const app = new App({ logger: false, handleSignals: false });
    app.post('/x', (req) => req.json(), { guards: [guard] });
    const bad = await app.inject({ method: 'POST', url: '/x', headers: { 'content-type': 'application/json' }, payload: '{not json' });
    expect(bad.statusCode).toBe(400);
    const good = await app.inject({ method: 'POST', url: '/x', payload: { a: 1 } });
    expect(good.statusCode).toBe(200);
    await app.close(); // waits for the after-response cleanups
    expect(events).toEqual(['open', 'close', 'open', 'close']);
  });

  test('a dependency cycle through dependencies that take the context is reported, not a hang', async () => {
    async function a(ctx: RequestContext): Promise<unknown> { return ctx.resolve(b); }
    async function* b(ctx: RequestContext) { yield await ctx.resolve(c); }
    function c(ctx: RequestContext) { return ctx.resolve(a); }
    const app = new App({ logger: false, handleSignals: false });
    app.get('/x', async (_req, ctx) => ({ v: await ctx.resolve(a) }));
    const res = await app.inject('/x');
    expect(res.statusCode).toBe(500);
    await app.close();
  });
});
