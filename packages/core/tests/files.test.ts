import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Controller, Depends, Get, Response } from '@cello/core';

let dir: string;
let app: App;
const alphabet = 'abcdefghijklmnopqrstuvwxyz';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cello-files-'));
  writeFileSync(join(dir, 'letters.txt'), alphabet);
  writeFileSync(join(dir, 'report.csv'), 'a,b\n1,2\n');
  writeFileSync(join(dir, '.env'), 'SECRET=1');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => {
  app = new App({ logger: false });
  app.get('/letters', () => Response.file(join(dir, 'letters.txt')));
  app.get('/report', () => Response.file(join(dir, 'report.csv'), { download: 'q3 report.csv', maxAge: 60 }));
  app.get('/missing', () => Response.file(join(dir, 'nope.txt')));
  app.get('/folder', () => Response.file(dir));
  app.get('/dotfile', async () => Response.file(join(dir, '.env')));
});

afterEach(() => app.close());

describe('Response.file', () => {
  test('sends the file with its content type, length, ETag and Last-Modified', async () => {
    const res = await app.inject('/letters');

    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(alphabet);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-length']).toBe('26');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers.etag).toMatch(/^W\/"/);
    expect(res.headers['last-modified']).toBeDefined();
  });

  test('download sets Content-Disposition; maxAge is seconds', async () => {
    const res = await app.inject('/report');

    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="q3 report.csv"; filename*=UTF-8''q3%20report.csv`);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
  });

  test('a missing file or a folder is a 404 JSON error', async () => {
    for (const url of ['/missing', '/folder']) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'File not found' });
    }
  });

  test('a file the handler names may be a dotfile', async () => {
    expect((await app.inject('/dotfile')).body).toBe('SECRET=1');
  });

  test('HEAD answers the headers without a body', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/letters' });

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe('26');
    expect(res.body).toBe('');
  });
});

describe('Range', () => {
  test('one range is 206 with Content-Range', async () => {
    const res = await app.inject({ url: '/letters', headers: { range: 'bytes=2-5' } });

    expect(res.statusCode).toBe(206);
    expect(res.body).toBe('cdef');
    expect(res.headers['content-range']).toBe('bytes 2-5/26');
    expect(res.headers['content-length']).toBe('4');
  });

  test('suffix and open-ended ranges', async () => {
    expect((await app.inject({ url: '/letters', headers: { range: 'bytes=-3' } })).body).toBe('xyz');
    expect((await app.inject({ url: '/letters', headers: { range: 'bytes=20-' } })).body).toBe('uvwxyz');
  });

  test('a range outside the file is 416 with the file size', async () => {
    const res = await app.inject({ url: '/letters', headers: { range: 'bytes=100-200' } });

    expect(res.statusCode).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */26');
    expect(res.json()).toMatchObject({ statusCode: 416, error: 'Range Not Satisfiable' });
  });

  test('several ranges answer 200 with the whole file', async () => {
    const res = await app.inject({ url: '/letters', headers: { range: 'bytes=0-1,4-5' } });

    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(alphabet);
  });

  test('a range is never compressed (Content-Range counts the file\'s own bytes)', async () => {
    const big = join(dir, 'big.txt');
    writeFileSync(big, alphabet.repeat(400));
    const zipped = new App({ logger: false }).enableCompression();
    zipped.get('/big', () => Response.file(big));

    const whole = await zipped.inject({ url: '/big', headers: { 'accept-encoding': 'gzip' } });
    const part = await zipped.inject({ url: '/big', headers: { 'accept-encoding': 'gzip', range: 'bytes=0-2599' } });
    await zipped.close();

    expect(whole.headers['content-encoding']).toBe('gzip');
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-encoding']).toBeUndefined();
    expect(part.body).toBe(alphabet.repeat(100));
  });

  test('If-Range with a stale ETag sends the whole file', async () => {
    const res = await app.inject({ url: '/letters', headers: { range: 'bytes=0-1', 'if-range': '"old"' } });

    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(alphabet);
  });
});

describe('conditional requests', () => {
  test('If-None-Match with the ETag is 304 without a body', async () => {
    const first = await app.inject('/letters');
    const res = await app.inject({ url: '/letters', headers: { 'if-none-match': first.headers.etag as string } });

    expect(res.statusCode).toBe(304);
    expect(res.body).toBe('');
    expect(res.headers.etag).toBe(first.headers.etag);
  });

  test('If-Modified-Since at Last-Modified is 304; an older date gets the file', async () => {
    const first = await app.inject('/letters');
    const lastModified = first.headers['last-modified'] as string;

    expect((await app.inject({ url: '/letters', headers: { 'if-modified-since': lastModified } })).statusCode).toBe(304);
    const older = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    expect((await app.inject({ url: '/letters', headers: { 'if-modified-since': older } })).statusCode).toBe(200);
  });

  test('If-Match with another ETag is 412', async () => {
    const res = await app.inject({ url: '/letters', headers: { 'if-match': '"something-else"' } });

    expect(res.statusCode).toBe(412);
    expect(res.json()).toMatchObject({ statusCode: 412, error: 'Precondition Failed' });
  });
});

describe('a file answer on a route with middleware and dependencies', () => {
  const events: string[] = [];

  async function* transaction() {
    try {
      yield 'tx';
      events.push('commit');
    } catch (err) {
      events.push(`rollback: ${(err as Error).message}`);
      throw err;
    }
  }

  @Controller('/reports')
  class ReportsController {
    @Get('/{name}')
    get(@Depends(transaction, { cleanup: 'before-response' }) _tx: string) {
      return Response.file(join(dir, `${_tx === 'tx' ? 'nope' : 'x'}.txt`));
    }

    @Get('/')
    letters(@Depends(transaction) _tx: string) {
      return Response.file(join(dir, 'letters.txt'));
    }
  }

  test('the file\'s 404 is the request\'s error: middleware and cleanups see it', async () => {
    const staged = new App({ controllers: [ReportsController], logger: false });
    const seen: number[] = [];
    staged.use(async (_ctx, next) => {
      const result = await next();
      seen.push(1);
      return result;
    });
    events.length = 0;

    const missing = await staged.inject('/reports/q3');
    const found = await staged.inject('/reports');
    await staged.close();

    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe('File not found');
    expect(found.body).toBe(alphabet);
    expect(seen).toEqual([1, 1]);
    expect(events).toEqual(['rollback: File not found', 'commit']);
  });
});
