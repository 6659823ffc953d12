import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { App, HttpError, Response } from '@cello/core';
import { negotiateEncoding } from '../src/middleware/compression';
import { until } from './helpers/gate';

const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item number ${i}` })) };
const bigText = JSON.stringify(big);

describe('enableCompression()', () => {
  let app: App;

  beforeEach(() => {
    app = new App({ logger: false });
    app.enableCompression();
    app.get('/big', () => big);
    app.get('/small', () => ({ ok: true }));
    app.get('/text', () => 'hello '.repeat(500));
    app.get('/png', () => new Response(Buffer.alloc(4096, 7), { headers: { 'content-type': 'image/png' } }));
    app.get('/precompressed', () => new Response('x'.repeat(4096), { headers: { 'content-type': 'text/plain', 'content-encoding': 'identity' } }));
    app.get('/stream', () => Response.stream(Readable.from(Array.from({ length: 50 }, (_, i) => `line ${i} ${'-'.repeat(100)}\n`)), {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    }));
    app.get('/binary-stream', () => Response.stream(Readable.from([Buffer.alloc(4096, 1)])));
  });

  afterEach(async () => {
    await app.close();
  });

  test('gzip when the client accepts gzip', async () => {
    const res = await app.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'gzip' } });

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(gunzipSync(res.rawPayload).toString()).toBe(bigText);
    expect(res.rawPayload.length).toBeLessThan(bigText.length);
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
  });

  test('br when the client accepts br', async () => {
    const res = await app.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'br' } });

    expect(res.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(bigText);
  });

  test('deflate when that is all the client takes', async () => {
    const res = await app.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'deflate' } });

    expect(res.headers['content-encoding']).toBe('deflate');
    expect(inflateSync(res.rawPayload).toString()).toBe(bigText);
  });

  test('br is preferred when both are equally acceptable', async () => {
    const res = await app.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'gzip, deflate, br' } });

    expect(res.headers['content-encoding']).toBe('br');
  });

  test('q-values are respected', async () => {
    const lowBr = await app.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'br;q=0.5, gzip;q=0.8' } });
    const noGzip = await app.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'gzip;q=0, deflate' } });
    const none = await app.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'gzip;q=0, br;q=0, deflate;q=0' } });

    expect(lowBr.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(lowBr.rawPayload).toString()).toBe(bigText);
    expect(noGzip.headers['content-encoding']).toBe('deflate');
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body).toBe(bigText);
  });

  test('no Accept-Encoding, or identity, is answered uncompressed', async () => {
    const plain = await app.inject({ method: 'GET', url: '/big' });
    const identity = await app.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'identity' } });

    for (const res of [plain, identity]) {
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.json()).toEqual(big);
    }
  });

  test('a body below the threshold (1 KiB) is sent as is', async () => {
    const res = await app.inject({ method: 'GET', url: '/small', headers: { 'accept-encoding': 'gzip, br' } });

    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json()).toEqual({ ok: true });
  });

  test('text/plain is compressible', async () => {
    const res = await app.inject({ method: 'GET', url: '/text', headers: { 'accept-encoding': 'gzip' } });

    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.rawPayload).toString()).toBe('hello '.repeat(500));
  });

  test('a non-compressible type (an image/png Buffer) is untouched', async () => {
    const res = await app.inject({ method: 'GET', url: '/png', headers: { 'accept-encoding': 'gzip, br' } });

    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.equals(Buffer.alloc(4096, 7))).toBe(true);
  });

  test('a response that already has a Content-Encoding is untouched', async () => {
    const res = await app.inject({ method: 'GET', url: '/precompressed', headers: { 'accept-encoding': 'gzip' } });

    expect(res.headers['content-encoding']).toBe('identity');
    expect(res.body).toBe('x'.repeat(4096));
  });

  test('Vary: Accept-Encoding is on every answer, compressed or not', async () => {
    for (const [url, accept] of [['/big', 'gzip'], ['/big', ''], ['/small', 'gzip'], ['/png', 'br']] as const) {
      const res = await app.inject({ method: 'GET', url, headers: accept ? { 'accept-encoding': accept } : {} });

      expect(res.headers.vary).toMatch(/Accept-Encoding/);
    }
  });

  test('Vary keeps what was there (CORS adds Origin)', async () => {
    const withCors = new App({ logger: false });
    withCors.enableCors({ origins: ['https://a.example'] });
    withCors.enableCompression();
    withCors.get('/big', () => big);

    const res = await withCors.inject({ method: 'GET', url: '/big', headers: { origin: 'https://a.example', 'accept-encoding': 'gzip' } });

    expect(String(res.headers.vary).split(/,\s*/).sort()).toEqual(['Accept-Encoding', 'Origin']);
    await withCors.close();
  });

  test('a compressed answer carries a weak ETag, never the strong one of the identity bytes; If-None-Match matches both', async () => {
    app.get('/cached', () => big, { cache: { ttl: 60 } });
    app.get('/tagged', () => Response.text('hello '.repeat(500), { headers: { etag: '"v7"' } }));
    const gzip = { 'accept-encoding': 'gzip' };

    const identity = await app.inject('/cached');
    const compressed = await app.inject({ url: '/cached', headers: gzip });

    expect(identity.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(compressed.headers.etag).toBe(`W/${identity.headers.etag}`);
    const compressed304 = await app.inject({ url: '/cached', headers: { ...gzip, 'if-none-match': compressed.headers.etag as string } });
    expect(compressed304.statusCode).toBe(304);
    expect(compressed304.headers.etag).toBe(compressed.headers.etag); // the validator the client holds
    const identity304 = await app.inject({ url: '/cached', headers: { 'if-none-match': identity.headers.etag as string } });
    expect(identity304.statusCode).toBe(304);
    expect(identity304.headers.etag).toBe(identity.headers.etag);
    expect((await app.inject({ url: '/tagged', headers: gzip })).headers.etag).toBe('W/"v7"'); // a handler's own ETag too
    expect((await app.inject('/tagged')).headers.etag).toBe('"v7"');
  });

  test('a text stream (Response.stream) is compressed on the fly', async () => {
    const expected = Array.from({ length: 50 }, (_, i) => `line ${i} ${'-'.repeat(100)}\n`).join('');

    const res = await app.inject({ method: 'GET', url: '/stream', headers: { 'accept-encoding': 'gzip' } });

    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-length']).toBeUndefined();
    expect(gunzipSync(res.rawPayload).toString()).toBe(expected);

    const brRes = await app.inject({ method: 'GET', url: '/stream', headers: { 'accept-encoding': 'br' } });
    expect(brotliDecompressSync(brRes.rawPayload).toString()).toBe(expected);
  });

  test('an octet-stream is not compressed', async () => {
    const res = await app.inject({ method: 'GET', url: '/binary-stream', headers: { 'accept-encoding': 'gzip' } });

    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.rawPayload.length).toBe(4096);
  });

  test('server-sent events are never compressed (buffering would hold events back)', async () => {
    async function* events() { yield { data: 'x'.repeat(2000) }; }
    app.get('/events', () => Response.sse(events()));

    const res = await app.inject({ method: 'GET', url: '/events', headers: { 'accept-encoding': 'gzip' } });

    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body).toContain(`data: ${'x'.repeat(2000)}`);
  });

  test('HEAD answers carry no compressed body', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/big', headers: { 'accept-encoding': 'gzip' } });

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body).toBe('');
  });

  test('an error body above the threshold is compressed like any other', async () => {
    app.get('/fail', () => { throw HttpError.badRequest('x'.repeat(2000)); });

    const res = await app.inject({ method: 'GET', url: '/fail', headers: { 'accept-encoding': 'gzip' } });

    expect(res.statusCode).toBe(400);
    expect(JSON.parse(gunzipSync(res.rawPayload).toString())).toMatchObject({ statusCode: 400 });
  });
});

describe('enableCompression() options', () => {
  test('threshold and encodings', async () => {
    const app = new App({ logger: false });
    app.enableCompression({ threshold: 10, encodings: ['gzip'] });
    app.get('/small', () => ({ message: 'just over ten bytes' }));

    const res = await app.inject({ method: 'GET', url: '/small', headers: { 'accept-encoding': 'br, gzip' } });
    const brOnly = await app.inject({ method: 'GET', url: '/small', headers: { 'accept-encoding': 'br' } });

    expect(res.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(res.rawPayload).toString())).toEqual({ message: 'just over ten bytes' });
    expect(brOnly.headers['content-encoding']).toBeUndefined();
    await app.close();
  });

  let socketApp: App | undefined;

  afterEach(async () => {
    await socketApp?.close();
    socketApp = undefined;
  });

  test('a client that goes away mid-stream closes the source stream (real socket)', async () => {
    let closed = false;
    let sent = 0;
    // Bounded, so a regression fails the test instead of spinning forever.
    async function* endless() {
      try {
        while (sent < 20_000) {
          sent++;
          yield `${'data '.repeat(200)}\n`;
          await new Promise((r) => setImmediate(r));
        }
      } finally {
        closed = true;
      }
    }
    const app = (socketApp = new App({ logger: false }));
    app.enableCompression();
    app.get('/endless', () => Response.stream(endless(), { headers: { 'content-type': 'text/plain' } }));
    const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));

    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: url.port, path: '/endless', headers: { 'accept-encoding': 'gzip' } }, (res) => {
        expect(res.headers['content-encoding']).toBe('gzip');
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (err) => { if (!closed) reject(err); });
      req.end();
    });
    await until(() => closed);

    expect(closed).toBe(true);
    expect(sent).toBeLessThan(20_000);
  });
});

describe('negotiateEncoding (pure)', () => {
  const offered = ['br', 'gzip', 'deflate'] as const;

  test.each([
    [undefined, null],
    ['', null],
    ['identity', null],
    ['gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['gzip, br', 'br'],
    ['br;q=0.1, gzip;q=0.9', 'gzip'],
    ['br; q=0.1, gzip; q=0.9', 'gzip'],
    ['*', 'br'],
    ['*;q=0', null],
    ['*, br;q=0', 'gzip'],
    ['gzip;q=0', null],
    ['gzip;q=abc', null],
    ['compress, x-unknown', null],
  ])('%j -> %j', (header, expected) => {
    expect(negotiateEncoding(header, offered)).toBe(expected);
  });
});
