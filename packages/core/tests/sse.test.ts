import http from 'node:http';
import {
  App, Controller, Depends, Get, Request, RequestContext, Response, Sse, WebSocket, WebSocketConnection,
} from '@cello/core';
import { gate, logSink, until } from './helpers/gate';

/** A real client reading the stream as it arrives. */
interface Reader {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Everything received so far. */
  text(): string;
  /** Resolves once the received text contains `s`. */
  waitFor(s: string): Promise<void>;
  ended: Promise<void>;
  close(): void;
}

function open(url: string, headers: Record<string, string> = {}): Promise<Reader> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      let received = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (received += chunk));
      const ended = new Promise<void>((r) => res.on('close', () => r()));
      resolve({
        status: res.statusCode!,
        headers: res.headers,
        text: () => received,
        waitFor: (s) => until(() => received.includes(s)),
        ended,
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

const log: string[] = [];
let release = gate();
let started = gate();

async function* getFeed(_ctx: RequestContext) {
  log.push('feed open');
  try {
    yield { name: 'orders' };
  } finally {
    log.push('feed closed');
  }
}

@Controller('/events')
class EventsController {
  @Sse('/orders')
  async *orders(req: Request, @Depends(getFeed) feed: { name: string }) {
    try {
      yield { event: 'hello', id: '1', data: { feed: feed.name, lastEventId: req.header('last-event-id') ?? null } };
      started.open();
      await release.promise;
      yield { event: 'order', id: '2', data: { total: 3 } };
    } finally {
      log.push('generator finally');
    }
  }

  @Sse('/forever', { heartbeat: false })
  async *forever(@Depends(getFeed) _feed: unknown) {
    let n = 0;
    try {
      for (;;) {
        yield n++;
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      await new Promise((r) => setTimeout(r, 20));
      log.push('generator finally');
    }
  }

  @Sse('/quiet', { heartbeat: 0.05 })
  async *quiet() {
    yield 'first';
    await release.promise;
  }

  @Sse('/formats')
  async *formats() {
    yield 'plain text';
    yield { data: 'line one\nline two', event: 'multi', retry: 2500 };
    yield { id: 7, total: 3 };
    yield { comment: 'just a comment' };
  }

  @Sse('/bad-id')
  async *badId() {
    try {
      yield { id: '1', data: 'ok' };
      yield { id: '2\ndata: forged', data: 'no' };
      yield { id: '3', data: 'never' };
    } finally {
      log.push('generator finally');
    }
  }

  @Sse('/not-iterable')
  async notIterable() {
    return { oops: true };
  }

  @Get('/plain')
  plain() {
    async function* ticks() {
      yield { event: 'tick', data: 1 };
      yield { event: 'tick', data: 2 };
    }
    return Response.sse(ticks(), { headers: { 'x-stream': 'ticks' } });
  }

  @WebSocket('/socket')
  async socket(socket: WebSocketConnection) {
    for await (const msg of socket) socket.send(msg.data);
  }
}

describe('@Sse routes', () => {
  let app: App;
  let url: string;

  beforeEach(async () => {
    log.length = 0;
    release = gate();
    started = gate();
    app = new App({ controllers: [EventsController], logger: false, handleSignals: false });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterEach(async () => {
    release.open();
    await app.close();
  });

  test('the first event reaches a real client before the generator finishes; Last-Event-ID reaches the handler', async () => {
    const reader = await open(`${url}/events/orders`, { 'last-event-id': '41' });
    expect(reader.status).toBe(200);
    expect(reader.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(reader.headers['cache-control']).toBe('no-cache');
    expect(reader.headers['x-accel-buffering']).toBe('no');
    await reader.waitFor('\n\n');
    expect(reader.text()).toBe('event: hello\nid: 1\ndata: {"feed":"orders","lastEventId":"41"}\n\n');
    await started.promise;
    expect(log).toEqual(['feed open']); // the generator is still suspended
    release.open();
    await reader.ended;
    expect(reader.text()).toBe(
      'event: hello\nid: 1\ndata: {"feed":"orders","lastEventId":"41"}\n\nevent: order\nid: 2\ndata: {"total":3}\n\n',
    );
    await until(() => log.length === 3);
    expect(log).toEqual(['feed open', 'generator finally', 'feed closed']);
  });

  test('a client that goes away runs the generator\'s finally, then the dependency\'s cleanup', async () => {
    const reader = await open(`${url}/events/forever`);
    await reader.waitFor('data: 3\n\n');
    reader.close();
    await until(() => log.length === 3);
    // The dependency outlives the generator: its cleanup waits for the generator's (slow) finally.
    expect(log).toEqual(['feed open', 'generator finally', 'feed closed']);
  });

  test('heartbeat comments keep an idle stream open', async () => {
    const reader = await open(`${url}/events/quiet`);
    await reader.waitFor(': ping\n\n');
    expect(reader.text().startsWith('data: first\n\n: ping\n\n')).toBe(true);
    release.open();
    await reader.ended;
  });

  test('compression does not buffer the stream', async () => {
    await app.close();
    app = new App({ controllers: [EventsController], logger: false, handleSignals: false });
    app.enableCompression({ threshold: 0 });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    const reader = await open(`${url}/events/orders`, { 'accept-encoding': 'gzip, br' });
    expect(reader.headers['content-encoding']).toBeUndefined();
    await reader.waitFor('event: hello');
    await started.promise;
    release.open();
    await reader.ended;
  });

  test('each yielded value is one event: strings as they are, other data as JSON, multi-line data split', async () => {
    const res = await app.inject('/events/formats');
    expect(res.body).toBe([
      'data: plain text\n\n',
      'event: multi\nretry: 2500\ndata: line one\ndata: line two\n\n',
      'data: {"id":7,"total":3}\n\n',
      ': just a comment\n\n',
    ].join(''));
  });

  test('Response.sse() from a plain handler streams the same way, with its own headers', async () => {
    const res = await app.inject('/events/plain');
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['x-stream']).toBe('ticks');
    expect(res.body).toBe('event: tick\ndata: 1\n\nevent: tick\ndata: 2\n\n');
  });

  test('a method that returns no async iterable answers 500 with a coded log line', async () => {
    await app.close();
    const sink = logSink();
    app = new App({ controllers: [EventsController], logger: { level: 'error', stream: sink.stream } as never, handleSignals: false });
    const res = await app.inject('/events/not-iterable');
    expect(res.statusCode).toBe(500);
    expect(sink.lines.some((l) => String(l.err?.code) === 'CELLO_ERR_SSE_NOT_ITERABLE')).toBe(true);
  });

  test('an id with a line break is refused: logged, the stream ends, the generator is returned', async () => {
    await app.close();
    const sink = logSink();
    app = new App({ controllers: [EventsController], logger: { level: 'error', stream: sink.stream } as never, handleSignals: false });
    const res = await app.inject('/events/bad-id');
    expect(res.body).toBe('id: 1\ndata: ok\n\n');
    expect(sink.lines.map((l) => l.code)).toEqual(['CELLO_ERR_SSE_EVENT_INVALID']);
    await until(() => log.includes('generator finally'));
  });

  test('HEAD answers the headers without starting the generator', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/events/orders' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.body).toBe('');
    await until(() => log.length === 2);
    expect(log).toEqual(['feed open', 'feed closed']);
  });

  test('Response.sse() refuses what is not an async iterable, and a bad heartbeat', () => {
    expect(() => Response.sse([1, 2] as never)).toThrow(expect.objectContaining({ code: 'CELLO_ERR_SSE_NOT_ITERABLE' }));
    expect(() => Response.sse((async function* () {})(), { heartbeat: -1 })).toThrow(expect.objectContaining({ code: 'CELLO_ERR_REALTIME_CONFIG' }));
  });

  test('app.close() ends open streams at once, and waits for the generator\'s finally and the cleanup', async () => {
    const reader = await open(`${url}/events/orders`);
    await started.promise;
    let closed = false;
    const closing = app.close().then(() => { closed = true; });
    await reader.ended; // the client is let go while the generator still waits
    expect(log).toEqual(['feed open']);
    expect(closed).toBe(false);
    release.open();
    await closing;
    expect(log).toEqual(['feed open', 'generator finally', 'feed closed']);
  });

  test('routes report their kind, and OpenAPI describes SSE as text/event-stream and leaves WebSockets out', async () => {
    await app.close();
    app = new App({ controllers: [EventsController], logger: false, handleSignals: false });
    app.enableDocs();
    const kinds = Object.fromEntries(app.routes().map((r) => [r.path, r.kind]));
    expect(kinds).toMatchObject({ '/events/orders': 'sse', '/events/plain': 'http', '/events/socket': 'websocket' });
    const doc = (await app.inject('/openapi.json')).json();
    expect(doc.paths['/events/socket']).toBeUndefined();
    expect(doc.paths['/events/orders'].get.responses['200'].content).toEqual({ 'text/event-stream': { schema: { type: 'string' } } });
  });
});
