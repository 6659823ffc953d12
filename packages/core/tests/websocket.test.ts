import { WebSocket as WsClient } from 'ws';
import {
  App, Controller, Depends, Get, Guard, HttpError, RequestContext, WebSocket, WebSocketConnection,
} from '@cello/core';
import { until } from './helpers/gate';

interface User { name: string }

const events: string[] = [];

async function* getCurrentUser(ctx: RequestContext): AsyncGenerator<User> {
  const token = ctx.request.header('authorization', '').replace('Bearer ', '');
  if (token === '') throw HttpError.unauthorized('Missing token');
  events.push(`open ${token}`);
  try {
    yield { name: token };
  } finally {
    events.push(`cleanup ${token}`);
  }
}

class NotBanned implements Guard {
  canActivate(ctx: RequestContext): boolean {
    return ctx.request.header('authorization') !== 'Bearer mallory';
  }
}

@Controller('/ws')
class ChatController {
  @WebSocket('/chat', { guards: [new NotBanned()] })
  async chat(socket: WebSocketConnection, @Depends(getCurrentUser) user: User) {
    for await (const msg of socket) {
      if (msg.text() === 'bye') break;
      socket.sendJson({ from: user.name, text: msg.text() });
    }
  }

  @WebSocket('/small', { maxPayload: 16 })
  async small(socket: WebSocketConnection) {
    for await (const msg of socket) socket.send(msg.data);
  }

  @WebSocket('/boom')
  async boom(socket: WebSocketConnection) {
    for await (const msg of socket) {
      if (msg.text() === 'forbidden') throw HttpError.forbidden('Not in this room');
      throw new Error('secret internals');
    }
  }

  @Get('/plain')
  plain() {
    return { ok: true };
  }
}

interface Opened { ws: WsClient; messages: string[]; next(): Promise<string>; closed: Promise<{ code: number; reason: string }> }

function connect(url: string, headers: Record<string, string> = {}): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const ws = new WsClient(url, { headers });
    const messages: string[] = [];
    const waiting: Array<(m: string) => void> = [];
    ws.on('message', (data) => {
      const text = data.toString();
      const w = waiting.shift();
      if (w) w(text);
      else messages.push(text);
    });
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.on('open', () => resolve({
      ws, messages, closed,
      next: () => (messages.length > 0 ? Promise.resolve(messages.shift()!) : new Promise((r) => waiting.push(r))),
    }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode}`), { statusCode: res.statusCode, body, headers: res.headers })));
    });
    ws.on('error', reject);
  });
}

describe('@WebSocket routes', () => {
  let app: App;
  let base: string;

  beforeEach(async () => {
    events.length = 0;
    app = new App({ controllers: [ChatController], logger: false, handleSignals: false });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    base = url.replace('http', 'ws');
  });

  afterEach(async () => {
    await app.close();
  });

  test('echoes over a real socket with the dependency resolved on the upgrade, cleaned up on close', async () => {
    const client = await connect(`${base}/ws/chat`, { authorization: 'Bearer alice' });
    expect(events).toEqual(['open alice']);
    client.ws.send('hello');
    expect(JSON.parse(await client.next())).toEqual({ from: 'alice', text: 'hello' });
    client.ws.send('again');
    expect(JSON.parse(await client.next())).toEqual({ from: 'alice', text: 'again' });
    expect(events).toEqual(['open alice']);
    client.ws.close(1000);
    await client.closed;
    await until(() => events.length === 2);
    expect(events).toEqual(['open alice', 'cleanup alice']);
  });

  test('the handler returning closes the socket with 1000, then the dependency is cleaned up', async () => {
    const client = await connect(`${base}/ws/chat`, { authorization: 'Bearer bob' });
    client.ws.send('bye');
    expect(await client.closed).toEqual({ code: 1000, reason: '' });
    await until(() => events.length === 2);
    expect(events).toEqual(['open bob', 'cleanup bob']);
  });

  test('a dependency that throws refuses the upgrade with its 401 before the handshake', async () => {
    const refused = await connect(`${base}/ws/chat`).catch((e: { statusCode: number; body: string }) => e);
    expect((refused as { statusCode: number }).statusCode).toBe(401);
    expect(JSON.parse((refused as { body: string }).body)).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Missing token' });
    expect(events).toEqual([]);
  });

  test('a guard refuses the upgrade with 403, and the dependency never runs', async () => {
    const refused = await connect(`${base}/ws/chat`, { authorization: 'Bearer mallory' }).catch((e) => e);
    expect(refused.statusCode).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    expect(events).toEqual([]);
  });

  test('a plain GET on a WebSocket route answers 426 with Upgrade: websocket', async () => {
    const res = await app.inject({ method: 'GET', url: '/ws/chat', headers: { authorization: 'Bearer alice' } });
    expect(res.statusCode).toBe(426);
    expect(res.headers.upgrade).toBe('websocket');
    expect(res.json()).toMatchObject({ statusCode: 426 });
    expect(events).toEqual([]);
    expect((await app.inject('/ws/plain')).json()).toEqual({ ok: true });
  });

  test('app.close() sends 1001 to open sockets and waits for their cleanup', async () => {
    const client = await connect(`${base}/ws/chat`, { authorization: 'Bearer carol' });
    client.ws.send('hi');
    await client.next();
    await app.close();
    expect(await client.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
    // close() resolved only after the dependency's finally ran.
    expect(events).toEqual(['open carol', 'cleanup carol']);
  });

  test('a message over the route limit closes the socket with 1009', async () => {
    const client = await connect(`${base}/ws/small`);
    client.ws.send('0123456789');
    expect(await client.next()).toBe('0123456789');
    client.ws.send('x'.repeat(17));
    expect((await client.closed).code).toBe(1009);
  });

  test('a message over the app limit closes the socket with 1009', async () => {
    await app.close();
    app = new App({ controllers: [ChatController], logger: false, handleSignals: false, websocket: { maxPayload: 8 } });
    base = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const client = await connect(`${base}/ws/chat`, { authorization: 'Bearer dave' });
    client.ws.send('short');
    expect(JSON.parse(await client.next())).toEqual({ from: 'dave', text: 'short' });
    client.ws.send('far too long for eight bytes');
    expect((await client.closed).code).toBe(1009);
    await until(() => events.length === 2);
    expect(events).toEqual(['open dave', 'cleanup dave']);
  });

  test('an HttpError thrown after the handshake closes with 4000 + status; any other error with 1011', async () => {
    const a = await connect(`${base}/ws/boom`);
    a.ws.send('forbidden');
    expect(await a.closed).toEqual({ code: 4403, reason: 'Not in this room' });
    const b = await connect(`${base}/ws/boom`);
    b.ws.send('anything');
    expect(await b.closed).toEqual({ code: 1011, reason: 'Internal error' });
  });

  test('routes report their kind', async () => {
    const kinds = app.routes().map((r) => [r.path, r.kind]);
    expect(kinds).toEqual(expect.arrayContaining([['/ws/chat', 'websocket'], ['/ws/plain', 'http']]));
  });

  test('a dual-stack listen (localhost) takes WebSockets on every address it is bound to', async () => {
    await app.close();
    app = new App({ controllers: [ChatController], logger: false, handleSignals: false });
    await app.listen({ port: 0, host: 'localhost' });
    const addresses = app.fastify.addresses();
    for (const address of addresses) {
      const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const client = await connect(`ws://${hostPart}:${address.port}/ws/chat`, { authorization: 'Bearer erin' });
      client.ws.send(address.family);
      expect(JSON.parse(await client.next())).toEqual({ from: 'erin', text: address.family });
      client.ws.close();
      await client.closed;
    }
  });
});

describe('WebSocketConnection parameters', () => {
  test('outside a @WebSocket route are a startup error', async () => {
    @Controller('/x')
    class Wrong {
      @Get('/')
      get(socket: WebSocketConnection) {
        return socket.isOpen;
      }
    }
    const app = new App({ controllers: [Wrong], logger: false });
    await expect(app.ready()).rejects.toMatchObject({ code: 'CELLO_ERR_WEBSOCKET_PARAM_OUTSIDE' });
  });

  test('a maxPayload that is not a positive number of bytes is refused', () => {
    expect(() => new App({ websocket: { maxPayload: 0 } })).toThrow(expect.objectContaining({ code: 'CELLO_ERR_REALTIME_CONFIG' }));
    expect(() => WebSocket('/x', { maxPayload: 1.5 })).toThrow(expect.objectContaining({ code: 'CELLO_ERR_REALTIME_CONFIG' }));
  });
});
