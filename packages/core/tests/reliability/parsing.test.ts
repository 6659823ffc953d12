import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { App, Body, Controller, Get, Post, Query } from '@cello/core';
import { openConnections, rawHttp, stillServes } from './raw-http';

class Tree {
  @IsString() name!: string;
  @IsOptional() @ValidateNested() @Type(() => Tree) child?: Tree;
}

class Search {
  @IsOptional() @IsInt() @Min(1) page?: number;
  @IsOptional() @IsArray() @IsString({ each: true }) tag?: string[];
}

const calls = { echo: 0, tree: 0, search: 0, raw: 0, scalar: 0, list: 0 };

@Controller('/')
class HostileController {
  @Get('/ping')
  ping() {
    return { ok: true };
  }

  @Post('/echo')
  echo(@Body() body: unknown) {
    calls.echo++;
    return { body: body ?? null, keys: body !== null && typeof body === 'object' ? Object.keys(body).length : 0 };
  }

  @Post('/tree')
  tree(tree: Tree) {
    calls.tree++;
    return { name: tree.name, isTree: tree instanceof Tree };
  }

  @Get('/search')
  search(@Query() q: Search) {
    calls.search++;
    return { page: q.page ?? null, tag: q.tag ?? null, keys: Object.keys(q) };
  }

  @Get('/raw-query')
  rawQuery(@Query() q: Record<string, unknown>) {
    calls.raw++;
    return { keys: Object.keys(q) };
  }

  @Get('/scalar')
  scalar(@Query('page') page: number, @Query('q') q: string) {
    calls.scalar++;
    return { page: page ?? null, q: q ?? null };
  }

  @Get('/list')
  list(@Query('tag') tags: string[]) {
    calls.list++;
    return { tags: tags ?? [] };
  }
}

function resetCalls(): void {
  for (const key of Object.keys(calls) as Array<keyof typeof calls>) calls[key] = 0;
}

function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
}

const json = { 'content-type': 'application/json' };
let app: App;
let url: string;

beforeAll(async () => {
  app = new App({ controllers: [HostileController], logger: false, bodyLimit: 4 * 1024 * 1024 });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});

beforeEach(resetCalls);

afterEach(async () => {
  // Every case: the app still answers a plain request, and Object.prototype is untouched.
  expect(await stillServes(url)).toBe(200);
  expectNoPollution();
});

afterAll(async () => {
  // No hostile request left a connection open behind it.
  expect(await openConnections(app.fastify.server)).toBe(0);
  await app.close();
});

describe('Content-Length that lies (real socket, raw HTTP)', () => {
  test('a body shorter than its Content-Length, then the client hangs up: the handler never runs', async () => {
    const res = await rawHttp(url, [`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"a":1}`], { endAfterWrite: true });

    expect(res.statuses.every((s) => s === 400)).toBe(true);
    expect(calls.echo).toBe(0);
  });

  test('a body longer than its Content-Length: the declared bytes are judged (400), the rest is a bad request', async () => {
    const res = await rawHttp(url, [`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{"a":1}`]);

    expect(res.statuses[0]).toBe(400);
    expect(res.statuses.every((s) => s === 400)).toBe(true);
    expect(calls.echo).toBe(0);
  });

  test.each(['abc', '-1', '1e3', '0x10', '5, 6'])('Content-Length: %s is 400 and never reaches the handler', async (length) => {
    const res = await rawHttp(url, [`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{"a":1}`]);

    expect(res.statuses[0]).toBe(400);
    expect(calls.echo).toBe(0);
  });

  test('two different Content-Length headers are 400', async () => {
    const res = await rawHttp(url, ['POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\nContent-Length: 3\r\n\r\n{"a":1}']);

    expect(res.statuses[0]).toBe(400);
    expect(calls.echo).toBe(0);
  });

  test('Content-Length together with Transfer-Encoding (request smuggling) is 400', async () => {
    const res = await rawHttp(url, ['POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n{"a":1}\r\n0\r\n\r\n']);

    expect(res.statuses[0]).toBe(400);
    expect(calls.echo).toBe(0);
  });
});

describe('JSON bodies', () => {
  test('an empty JSON body is no body: a plain route gets undefined, a DTO route answers 422', async () => {
    const plain = await app.inject({ method: 'POST', url: '/echo', headers: json, payload: '' });
    const dto = await app.inject({ method: 'POST', url: '/tree', headers: json, payload: '' });

    expect(plain.statusCode).toBe(200);
    expect(plain.json()).toEqual({ body: null, keys: 0 });
    expect(dto.statusCode).toBe(422);
    expect(calls.tree).toBe(0);
  });

  test.each(['{"a":', '{a:1}', "{'a':1}", '[1,]', '{"a":1}}', 'nul', '{"a":1} x'])('malformed JSON %s is 400 in the JSON error shape', async (payload) => {
    const res = await app.inject({ method: 'POST', url: '/echo', headers: json, payload });

    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'Body is not valid JSON' });
    expect(calls.echo).toBe(0);
  });

  test('a UTF-8 byte order mark before JSON is ignored (RFC 8259 allows a parser to)', async () => {
    const res = await app.inject({ method: 'POST', url: '/tree', headers: json, payload: Buffer.from('\uFEFF{"name":"bom"}', 'utf8') });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'bom', isTree: true });
  });

  test('bytes that are not UTF-8 are 400, not silently replaced by U+FFFD', async () => {
    const payload = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const res = await app.inject({ method: 'POST', url: '/tree', headers: json, payload });

    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, message: 'Body is not valid UTF-8' });
    expect(calls.tree).toBe(0);
  });

  test('a JSON body split inside a multi-byte character still parses', async () => {
    const bytes = Buffer.from('{"name":"crème brûlée ❤️"}', 'utf8');
    const cut = bytes.indexOf(0xa4) ; // inside the heart's 3-byte sequence
    const head = `POST /tree HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`;
    const res = await rawHttp(url, [head, bytes.subarray(0, cut), bytes.subarray(cut)]);

    expect(res.statuses).toEqual([200]);
    expect(Buffer.from(res.text, 'latin1').toString('utf8')).toContain('"name":"crème brûlée ❤️"');
  });
});

describe('prototype poisoning', () => {
  test.each([
    ['__proto__', '{"name":"x","__proto__":{"polluted":"yes"}}'],
    ['nested __proto__', '{"name":"x","child":{"name":"y","__proto__":{"polluted":"yes"}}}'],
    ['constructor.prototype', '{"name":"x","constructor":{"prototype":{"polluted":"yes"}}}'],
  ])('%s in a JSON body is 400 on plain and DTO routes', async (_what, payload) => {
    for (const path of ['/echo', '/tree']) {
      const res = await app.inject({ method: 'POST', url: path, headers: json, payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toBe('Body contains a forbidden key (__proto__ or constructor.prototype)');
    }
    expect(calls.echo + calls.tree).toBe(0);
  });

  test('__proto__ in an urlencoded form is 400', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    for (const payload of ['__proto__=yes&name=x', 'name=x&%5F%5Fproto%5F%5F=yes']) {
      const res = await app.inject({ method: 'POST', url: '/echo', headers: form, payload });
      expect(res.statusCode).toBe(400);
    }
    // A flat parser: brackets are part of the key, which is the literal string.
    for (const key of ['__proto__[polluted]', 'constructor[prototype][polluted]']) {
      const res = await app.inject({ method: 'POST', url: '/echo', headers: form, payload: `${key}=yes` });
      expect(res.statusCode).toBe(200);
      expect(res.json().body).toEqual({ [key]: 'yes' });
    }
    expect(calls.echo).toBe(2);
  });

  test.each(['/search', '/raw-query'])('__proto__ in the query of a route that binds the query (%s) is 400', async (path) => {
    for (const query of ['__proto__=yes', '%5F%5Fproto%5F%5F=yes', 'page=1&__proto__=a&__proto__=b']) {
      const res = await app.inject(`${path}?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ statusCode: 400, message: 'Query contains a forbidden key (__proto__)' });
    }
    expect(calls.search + calls.raw).toBe(0);
  });

  test('constructor[prototype] and __proto__[x] in a query are literal keys: a DTO never receives them', async () => {
    const res = await app.inject('/search?page=2&constructor[prototype][polluted]=yes&constructor=x&__proto__[polluted]=yes');

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ page: 2, tag: null, keys: ['page'] });
  });
});

describe('size and depth', () => {
  const deep = (levels: number) => `${'{"name":"n","child":'.repeat(levels)}{"name":"leaf"}${'}'.repeat(levels)}`;

  test.each(['/echo', '/tree'])('10,000-deep nesting is 422 on %s, with no stack overflow', async (path) => {
    const res = await app.inject({ method: 'POST', url: path, headers: json, payload: deep(10_000) });

    expect(res.statusCode).toBe(422);
    expect(res.json().details).toEqual([{ path: '', messages: ['body is nested more than 32 levels deep'] }]);
    expect(calls.echo + calls.tree).toBe(0);
  });

  test('10,000-deep arrays are 422 too', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', headers: json, payload: `${'['.repeat(10_000)}${']'.repeat(10_000)}` });

    expect(res.statusCode).toBe(422);
  });

  test('nesting just within the limit is accepted by a DTO route', async () => {
    const res = await app.inject({ method: 'POST', url: '/tree', headers: json, payload: deep(30) });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'n', isTree: true });
  });

  test('100,000 keys: a plain route gets them all, a DTO keeps only its declared fields', async () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `"k${i}":1`).join(',');
    const plain = await app.inject({ method: 'POST', url: '/echo', headers: json, payload: `{${keys}}` });
    const dto = await app.inject({ method: 'POST', url: '/tree', headers: json, payload: `{"name":"wide",${keys}}` });

    expect(plain.statusCode).toBe(200);
    expect(plain.json().keys).toBe(100_000);
    expect(dto.statusCode).toBe(200);
    expect(dto.json()).toEqual({ name: 'wide', isTree: true });
  });
});

describe('duplicate query keys', () => {
  test('to a scalar parameter: the last value, as documented', async () => {
    const res = await app.inject('/scalar?page=1&page=7&q=a&q=b');

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ page: 7, q: 'b' });
  });

  test('to an array parameter: every value, in order', async () => {
    const res = await app.inject('/list?tag=a&tag=b&tag=c');

    expect(res.json()).toEqual({ tags: ['a', 'b', 'c'] });
  });

  test('to a DTO: a scalar field gets the last value, an array field every value', async () => {
    const twice = await app.inject('/search?page=1&page=2');
    const tags = await app.inject('/search?tag=a&tag=b');

    expect(twice.json()).toEqual({ page: 2, tag: null, keys: ['page'] });
    expect(tags.json()).toEqual({ page: null, tag: ['a', 'b'], keys: ['tag'] });
  });
});

describe('paths with null bytes and ..', () => {
  test.each([
    'GET /ping%00 HTTP/1.1',
    'GET /ping\0 HTTP/1.1',
    'GET /../ping HTTP/1.1',
    'GET /x/..%2fping HTTP/1.1',
    'GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1',
  ])('%j is refused without a 500', async (line) => {
    const res = await rawHttp(url, [`${line}\r\nHost: x\r\nConnection: close\r\n\r\n`]);

    expect(res.statuses.length).toBeGreaterThan(0);
    expect(res.statuses[0]).toBeGreaterThanOrEqual(400);
    expect(res.statuses[0]).toBeLessThan(500);
  });
});

describe('serveStatic never serves a file outside its folder (raw paths)', () => {
  const base = mkdtempSync(join(tmpdir(), 'cello-hostile-static-'));
  const pub = join(base, 'public');
  let files: App;
  let filesUrl: string;

  beforeAll(async () => {
    mkdirSync(join(pub, 'sub'), { recursive: true });
    writeFileSync(join(pub, 'ok.txt'), 'inside');
    writeFileSync(join(base, 'secret.txt'), 'OUTSIDE-SECRET');
    files = new App({ logger: false });
    files.serveStatic('/assets', pub);
    files.get('/ping', () => 'pong');
    filesUrl = await files.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await files.close();
    rmSync(base, { recursive: true, force: true });
  });

  test.each([
    '/assets/../secret.txt',
    '/assets/sub/../../secret.txt',
    '/assets/..%2fsecret.txt',
    '/assets/%2e%2e/secret.txt',
    '/assets/%2E%2E%2Fsecret.txt',
    '/assets/sub/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/assets/..%5csecret.txt',
    '/assets/..\\secret.txt',
    '/assets/%252e%252e/secret.txt',
    '/assets/ok.txt%00/../../secret.txt',
    '/assets/ok.txt%00',
    `/assets/${encodeURIComponent(join(base, 'secret.txt'))}`,
    '/assets//..//secret.txt',
  ])('%s', async (path) => {
    const res = await rawHttp(filesUrl, [`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]);

    expect(res.text).not.toContain('OUTSIDE-SECRET');
    expect(res.statuses[0]).toBeGreaterThanOrEqual(400);
    expect(res.statuses[0]).toBeLessThan(500);
    expect(await stillServes(filesUrl, '/assets/ok.txt')).toBe(200);
  });
});
