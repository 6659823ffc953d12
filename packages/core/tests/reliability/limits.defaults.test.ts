import type { Server } from 'node:http';
import { App, Controller, Depends, Get, Post, Request } from '@cello/core';
import { gate, logSink, until } from '../helpers/gate';
import { json, send, wire } from './wire';

async function listen(app: App): Promise<number> {
  return Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port);
}

const get = (path: string, headers = '') => `GET ${path} HTTP/1.1\r\nhost: x\r\n${headers}connection: close\r\n\r\n`;
const post = (path: string, body: string, type = 'application/json') =>
  `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;

describe('production defaults', () => {
  test('every limit has a protecting default on the server', async () => {
    const app = new App({ logger: false, handleSignals: false });
    await app.ready();
    const server = app.fastify.server as Server;
    expect(server.requestTimeout).toBe(60_000);
    expect(server.headersTimeout).toBe(10_000);
    expect(server.keepAliveTimeout).toBe(72_000);
    expect(server.maxHeaderSize).toBe(16 * 1024);
    expect(app.fastify.initialConfig.bodyLimit).toBe(1024 * 1024);
    await app.close();
  });

  test('each one is set on new App({ ... }) in seconds and bytes', async () => {
    const app = new App({
      logger: false, handleSignals: false,
      requestTimeout: 30, headersTimeout: 5, keepAliveTimeout: 65, maxHeaderSize: 8192, bodyLimit: 2048,
    });
    await app.ready();
    const server = app.fastify.server as Server;
    expect([server.requestTimeout, server.headersTimeout, server.keepAliveTimeout, server.maxHeaderSize]).toEqual([30_000, 5_000, 65_000, 8192]);
    expect(app.fastify.initialConfig.bodyLimit).toBe(2048);
    await app.close();
  });

  test('a limit that cannot work is a startup error with a code', () => {
    expect(() => new App({ logger: false, handlerTimeout: -1 })).toThrow(expect.objectContaining({ code: 'CELLO_ERR_LIMITS_CONFIG' }));
    expect(() => new App({ logger: false, requestTimeout: 5, headersTimeout: 10 })).toThrow(/headersTimeout \(10 s\) must not be longer than requestTimeout \(5 s\)/);
    expect(() => new App({ logger: false, maxUrlLength: 0 })).toThrow(expect.objectContaining({ code: 'CELLO_ERR_LIMITS_CONFIG' }));
  });

  test('a route option that cannot work is a startup error naming the route', async () => {
    const app = new App({ logger: false, handleSignals: false });
    app.post('/x', () => 'ok', { bodyLimit: 0 });
    await expect(app.ready()).rejects.toThrow(/bodyLimit of POST \/x must be a whole number of bytes > 0/);
  });
});

describe('limits answered in the JSON error shape, with a code; the app serves afterwards', () => {
  let app: App;
  let port: number;
  let handled = 0;
  beforeAll(async () => {
    app = new App({ logger: false, handleSignals: false, requestTimeout: 0.2, maxHeaderSize: 4096, maxUrlLength: 1024, bodyLimit: 1000 });
    app.enableRequestId();
    app.get('/ok', () => ({ ok: true }));
    app.get('/items/{id}', (req: Request) => ({ id: req.params.id }));
    app.post('/echo', (req: Request) => { handled++; return { size: req.text().length }; });
    app.post('/small', (req: Request) => { handled++; return { size: req.text().length }; }, { bodyLimit: 10 });
    app.post('/large', (req: Request) => { handled++; return { size: req.text().length }; }, { bodyLimit: 5000 });
    app.post('/mib', (req: Request) => { handled++; return { size: req.text().length }; }, { bodyLimit: 1024 * 1024 });
    port = await listen(app);
  });
  afterAll(() => app.close());
  beforeEach(() => { handled = 0; });
  afterEach(async () => {
    expect((await send(port, get('/ok'))).status).toBe(200);
  });

  test('a body that stalls past requestTimeout: 408, the handler never runs', async () => {
    const res = await wire(port, (socket) => {
      socket.write('POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\nconnection: close\r\n\r\n{"a":');
    });
    expect(res.status).toBe(408);
    expect(json(res)).toEqual({ statusCode: 408, error: 'Request Timeout', message: expect.stringContaining('requestTimeout'), code: 'CELLO_ERR_REQUEST_TIMEOUT' });
    expect(handled).toBe(0);
  });

  test('headers trickled past the limit (slowloris): 408', async () => {
    const res = await wire(port, async (socket) => {
      socket.write('GET /ok HTTP/1.1\r\nhost: x\r\n');
      for (let i = 0; i < 100 && !socket.destroyed && socket.writable; i++) {
        socket.write(`x-${i}: a\r\n`);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    expect(res.status).toBe(408);
    expect(json(res)).toMatchObject({ code: 'CELLO_ERR_REQUEST_TIMEOUT' });
  });

  test('headers over maxHeaderSize: 431', async () => {
    const res = await send(port, get('/ok', `x-big: ${'a'.repeat(5000)}\r\n`));
    expect(res.status).toBe(431);
    expect(json(res)).toEqual({ statusCode: 431, error: 'Request Header Fields Too Large', message: 'The request line and headers are larger than 4096 bytes (maxHeaderSize)', code: 'CELLO_ERR_HEADERS_TOO_LARGE' });
  });

  test('bytes that are not HTTP: 400', async () => {
    const res = await send(port, 'HELLO\r\n\r\n');
    expect(res.status).toBe(400);
    expect(json(res)).toMatchObject({ statusCode: 400, code: 'CELLO_ERR_MALFORMED_REQUEST' });
  });

  test('a URL over maxUrlLength: 414 on a route and off one, with the features\' headers, the URL not echoed', async () => {
    for (const path of [`/ok?q=${'s'.repeat(1100)}`, `/nowhere?q=${'s'.repeat(1100)}`]) {
      const res = await send(port, get(path));
      expect(res.status).toBe(414);
      expect(json(res)).toEqual({ statusCode: 414, error: 'URI Too Long', message: 'The URL is longer than 1024 characters (maxUrlLength)', code: 'CELLO_ERR_URL_TOO_LONG' });
      expect(res.headers['x-request-id']).toBeDefined();
    }
    expect((await send(port, get(`/ok?q=${'s'.repeat(900)}`))).status).toBe(200);
  });

  test('a path parameter over maxParamLength: 414', async () => {
    const res = await send(port, get(`/items/${'p'.repeat(101)}`));
    expect(res.status).toBe(414);
    expect(json(res)).toMatchObject({ statusCode: 414, code: 'CELLO_ERR_PARAM_TOO_LONG' });
    expect(json(await send(port, get(`/items/${'p'.repeat(100)}`)))).toEqual({ id: 'p'.repeat(100) });
  });

  test('a body of bodyLimit + 1 bytes: 413, exactly bodyLimit passes', async () => {
    const body = (n: number) => `"${'b'.repeat(n - 2)}"`;
    const over = await send(port, post('/echo', body(1001)));
    expect(over.status).toBe(413);
    expect(json(over)).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'Request body is too large', code: 'CELLO_ERR_BODY_TOO_LARGE' });
    expect(handled).toBe(0);
    expect(json(await send(port, post('/echo', body(1000))))).toEqual({ size: 1000 });
  });

  test('a route\'s own bodyLimit, smaller or larger than the app\'s', async () => {
    expect((await send(port, post('/small', '"123456789"'))).status).toBe(413);
    expect(json(await send(port, post('/small', '"1234567"')))).toEqual({ size: 9 });
    expect(json(await send(port, post('/large', `"${'b'.repeat(3998)}"`)))).toEqual({ size: 4000 });
    expect((await send(port, post('/large', `"${'b'.repeat(4999)}"`))).status).toBe(413);
  });

  test('a chunked 20 MiB upload: 413, and memory does not grow by the upload', async () => {
    const before = process.memoryUsage();
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let written = 0;
    const res = await wire(port, async (socket) => {
      socket.write('POST /mib HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n');
      while (written < 20 * 1024 * 1024 && socket.writable && !socket.destroyed) {
        const more = socket.write(`${chunk.length.toString(16)}\r\n`) && socket.write(chunk) && socket.write('\r\n');
        written += chunk.length;
        if (!more) await new Promise((r) => { socket.once('drain', r); socket.once('close', r); });
      }
      if (socket.writable) socket.write('0\r\n\r\n');
    });
    expect(res.status).toBe(413);
    expect(json(res)).toMatchObject({ code: 'CELLO_ERR_BODY_TOO_LARGE' });
    expect(handled).toBe(0);
    // Refused once past the limit, not after reading all 20 MiB.
    expect(written).toBeLessThan(20 * 1024 * 1024);
    const after = process.memoryUsage();
    const grown = (after.heapUsed + after.external) - (before.heapUsed + before.external);
    expect(grown).toBeLessThan(10 * 1024 * 1024);
  });
});

describe('handlerTimeout: a handler that never settles', () => {
  function fixture(options: Record<string, unknown>) {
    const sink = logSink();
    const stuck = gate();
    const events: string[] = [];
    async function* getDb() {
      events.push('open');
      try {
        yield { conn: 1 };
      } catch (err) {
        events.push(`rollback: ${(err as { code?: string }).code}`);
        throw err;
      } finally {
        events.push('release');
      }
    }
    @Controller('/')
    class Stuck {
      @Get('/never')
      async never(@Depends(getDb) db: { conn: number }) {
        await stuck.promise;
        return { db: db.conn };
      }

      @Get('/slow', { handlerTimeout: false })
      async slow() {
        await new Promise((r) => setTimeout(r, 150));
        return { slow: true };
      }

      @Post('/quick', { handlerTimeout: 0.05 })
      async quick() {
        await stuck.promise;
        return { quick: true };
      }

      @Get('/sync')
      sync() {
        return { sync: true };
      }
    }
    const app = new App({ controllers: [Stuck], logger: { level: 'info', stream: sink.stream } as never, handleSignals: false, shutdownTimeout: 0.5, ...options });
    return { app, events, stuck, sink };
  }

  test('app-wide: 503 in the JSON error shape; the cleanup runs once, with the timeout error; close() does not wait for it', async () => {
    const { app, events, stuck, sink } = fixture({ handlerTimeout: 0.05 });
    const res = await app.inject('/never');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'The handler did not answer within 0.05 s (handlerTimeout)', code: 'CELLO_ERR_HANDLER_TIMEOUT' });
    await until(() => events.includes('release'));
    expect(events).toEqual(['open', 'rollback: CELLO_ERR_HANDLER_TIMEOUT', 'release']);

    // The handler finishes after all: nothing runs twice, nothing is sent twice.
    stuck.open();
    await new Promise((r) => setImmediate(r));
    expect((await app.inject('/sync')).json()).toEqual({ sync: true });
    expect(events.filter((e) => e === 'release')).toHaveLength(1);
    await app.close();
    expect(sink.lines.filter((l) => l.code === 'CELLO_ERR_LIFECYCLE_SHUTDOWN_TIMEOUT')).toEqual([]);
  });

  test('a route can opt out (handlerTimeout: false) or set its own', async () => {
    const { app, stuck } = fixture({ handlerTimeout: 0.05 });
    expect((await app.inject('/slow')).json()).toEqual({ slow: true });
    await app.close();

    const own = fixture({});
    expect((await own.app.inject({ method: 'POST', url: '/quick' })).statusCode).toBe(503);
    expect((await own.app.inject('/slow')).statusCode).toBe(200);
    own.stuck.open();
    stuck.open();
    await own.app.close();
  });

  test('off by default: a slow handler is not cut', async () => {
    const { app } = fixture({});
    expect((await app.inject('/slow')).json()).toEqual({ slow: true });
    await app.close();
  });

  test('a generator dependency still starting at the timeout is cleaned up once it yields', async () => {
    const starting = gate();
    let released = 0;
    async function* getConn() {
      await starting.promise;
      try { yield 'conn'; } finally { released++; }
    }
    const app = new App({ logger: false, handleSignals: false, handlerTimeout: 0.05 });
    app.get('/late', async (_req: Request, ctx: import('@cello/core').RequestContext) => ctx.resolve(getConn));
    expect((await app.inject('/late')).statusCode).toBe(503);
    starting.open();
    await until(() => released === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(released).toBe(1);
    await app.close();
  });
});

describe('a server of your own (fastify serverFactory)', () => {
  test('keeps its own timeouts unless the App is given them', async () => {
    const { createServer } = await import('node:http');
    const factory = (handler: Parameters<typeof createServer>[1]) => createServer({ headersTimeout: 5_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 }, handler);
    const mine = new App({ logger: false, handleSignals: false, fastify: { serverFactory: factory as never } });
    const server = mine.fastify.server as Server;
    expect([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout]).toEqual([5_000, 30_000, 5_000]);
    await mine.close();

    const told = new App({ logger: false, handleSignals: false, requestTimeout: 20, headersTimeout: 4, keepAliveTimeout: 61, fastify: { serverFactory: factory as never } });
    const toldServer = told.fastify.server as Server;
    expect([toldServer.headersTimeout, toldServer.requestTimeout, toldServer.keepAliveTimeout]).toEqual([4_000, 20_000, 61_000]);
    await told.close();
  });
});
