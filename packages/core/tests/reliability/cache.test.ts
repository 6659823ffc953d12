import { App, Cache, Controller, Get, Header, Query, Request, RequestContext, Response } from '@cello/core';
import { gate } from '../helpers/gate';

const calls: Record<string, number> = {};
const count = (name: string) => { calls[name] = (calls[name] ?? 0) + 1; return calls[name]; };
let hold = gate();

@Controller('/')
class ProfileController {
  // Personal when the request carries credentials: who it is for is in the body.
  @Get('/profile')
  @Cache({ ttl: 60 })
  profile(req: Request) {
    count('profile');
    return { for: req.headers.authorization ?? req.headers.cookie ?? 'anonymous' };
  }

  @Get('/per-credential')
  @Cache({ ttl: 60, credentials: 'per-credential' })
  perCredential(req: Request) {
    count('perCredential');
    return { for: req.headers.authorization ?? req.headers.cookie ?? 'anonymous' };
  }

  @Get('/session')
  @Cache({ ttl: 60 })
  session(ctx: RequestContext) {
    const n = count('session');
    ctx.reply.header('set-cookie', `sid=secret-${n}; HttpOnly`);
    return { n };
  }

  @Get('/session-response')
  @Cache({ ttl: 60 })
  sessionResponse() {
    const n = count('sessionResponse');
    return Response.json({ n }, { headers: { 'Set-Cookie': [`sid=secret-${n}`, 'theme=dark'] } });
  }

  // Personal by a header the cache does not know about; the handler says so itself.
  @Get('/api-key')
  @Cache({ ttl: 60 })
  apiKey(@Header('x-api-key') key: string) {
    count('apiKey');
    return Response.json({ for: key ?? 'anonymous' }, { headers: { 'cache-control': key ? 'private' : 'public, max-age=60' } });
  }

  @Get('/no-store')
  @Cache({ ttl: 60 })
  noStore(ctx: RequestContext) {
    const n = count('noStore');
    ctx.reply.header('cache-control', 'no-store');
    return { n };
  }

  // Varies by a header the route's `vary` does not list, and says so with its own Vary.
  @Get('/by-key')
  @Cache({ ttl: 60 })
  byKey(@Header('x-api-key') key: string) {
    count('byKey');
    return Response.json({ for: key ?? 'anonymous' }, { headers: { vary: 'X-Api-Key' } });
  }

  @Get('/vary-star')
  @Cache({ ttl: 60 })
  varyStar(ctx: RequestContext) {
    const n = count('varyStar');
    ctx.reply.header('vary', '*');
    return { n };
  }

  @Get('/big')
  @Cache({ ttl: 60 })
  big() {
    count('big');
    return { text: 'cello '.repeat(1000) };
  }

  @Get('/search')
  @Cache({ ttl: 60, vary: ['accept-language', 'x-tenant'] })
  search(@Query() q: Record<string, unknown>, req: Request) {
    count('search');
    return { q: { ...q }, lang: req.headers['accept-language'] ?? null, tenant: req.headers['x-tenant'] ?? null };
  }

  @Get('/slow')
  @Cache({ ttl: 60 })
  async slow() {
    const n = count('slow');
    await hold.promise;
    return { n };
  }
}

let app: App;

beforeEach(() => {
  for (const key of Object.keys(calls)) delete calls[key];
  app = new App({ controllers: [ProfileController], logger: false });
});

afterEach(async () => {
  expect((await app.inject('/search?ok=1')).statusCode).toBe(200);
  await app.close();
});

describe('a private response is never served to another client', () => {
  test.each([
    ['authorization', 'Bearer alice-token'],
    ['cookie', 'session=alice'],
  ])('a request with %s bypasses the cache both ways', async (name, value) => {
    const anon1 = await app.inject('/profile');
    const alice = await app.inject({ url: '/profile', headers: { [name]: value } });
    const anon2 = await app.inject('/profile');

    expect(alice.json()).toEqual({ for: value });
    expect(alice.headers['cache-control']).toBeUndefined();
    expect(anon1.json()).toEqual({ for: 'anonymous' });
    expect(anon2.json()).toEqual({ for: 'anonymous' });
    expect(calls.profile).toBe(2);
  });

  test('per-credential entries are kept apart and marked private', async () => {
    const alice = await app.inject({ url: '/per-credential', headers: { authorization: 'Bearer alice' } });
    const bob = await app.inject({ url: '/per-credential', headers: { authorization: 'Bearer bob' } });
    const aliceCookie = await app.inject({ url: '/per-credential', headers: { cookie: 'Bearer alice' } });
    const anon = await app.inject('/per-credential');
    const aliceAgain = await app.inject({ url: '/per-credential', headers: { authorization: 'Bearer alice' } });

    expect([alice, bob, aliceCookie, anon, aliceAgain].map((r) => r.json().for)).toEqual(['Bearer alice', 'Bearer bob', 'Bearer alice', 'anonymous', 'Bearer alice']);
    expect(calls.perCredential).toBe(4);
    expect(alice.headers['cache-control']).toMatch(/^private/);
    expect(aliceAgain.headers['cache-control']).toMatch(/^private/);
  });

  test('a response the handler marks private is not stored, nor replayed as public', async () => {
    const alice = await app.inject({ url: '/api-key', headers: { 'x-api-key': 'alice' } });
    const anon = await app.inject('/api-key');

    expect(alice.json()).toEqual({ for: 'alice' });
    expect(alice.headers['cache-control']).toBe('private');
    expect(anon.json()).toEqual({ for: 'anonymous' });
    expect(calls.apiKey).toBe(2);
  });

  test('a response the handler marks no-store is not stored', async () => {
    const first = await app.inject('/no-store');
    const second = await app.inject('/no-store');

    expect([first.json().n, second.json().n]).toEqual([1, 2]);
    expect(second.headers['cache-control']).toBe('no-store');
  });
});

describe('Set-Cookie is never stored', () => {
  test.each(['/session', '/session-response'])('%s: every request runs the handler and gets only its own cookie', async (path) => {
    const first = await app.inject(path);
    const second = await app.inject(path);

    expect(String(first.headers['set-cookie'])).toContain('secret-1');
    expect(String(second.headers['set-cookie'])).toContain('secret-2');
    expect(String(second.headers['set-cookie'])).not.toContain('secret-1');
    expect(Object.values(calls)).toEqual([2]);
  });
});

describe('query-order and header variations cannot poison a key', () => {
  test('query order shares an entry only when the handler sees the same query', async () => {
    const a = await app.inject('/search?a=1&b=2');
    const b = await app.inject('/search?b=2&a=1');
    const repeated1 = await app.inject('/search?a=1&a=2');
    const repeated2 = await app.inject('/search?a=2&a=1');

    expect(b.json()).toEqual(a.json());
    expect(repeated1.json().q).toEqual({ a: ['1', '2'] });
    expect(repeated2.json().q).toEqual({ a: ['2', '1'] });
    expect(calls.search).toBe(3);
  });

  test('an encoded separator in a value is not a second parameter', async () => {
    const smuggled = await app.inject('/search?a=1%26b%3D2');
    const plain = await app.inject('/search?a=1&b=2');

    expect(smuggled.json().q).toEqual({ a: '1&b=2' });
    expect(plain.json().q).toEqual({ a: '1', b: '2' });
  });

  test('a vary header value cannot spell another variant\'s key', async () => {
    // The attacker's request: its response (tenant "b|x-tenant=") must not land in the entry
    // of a client who sends accept-language "en|x-tenant=b" and no tenant.
    const attacker = await app.inject({ url: '/search?x=1', headers: { 'accept-language': 'en', 'x-tenant': 'b|x-tenant=' } });
    const victim = await app.inject({ url: '/search?x=1', headers: { 'accept-language': 'en|x-tenant=b' } });

    expect(attacker.json().tenant).toBe('b|x-tenant=');
    expect(victim.json()).toEqual({ q: { x: '1' }, lang: 'en|x-tenant=b', tenant: null });
    expect(calls.search).toBe(2);
  });

  test('an absent vary header and an empty one are different variants', async () => {
    const empty = await app.inject({ url: '/search?y=1', headers: { 'x-tenant': '' } });
    const absent = await app.inject('/search?y=1');

    expect(empty.json().tenant).toBe('');
    expect(absent.json().tenant).toBeNull();
  });

  test('headers outside `vary` do not split or poison the entry, and every variant is announced in Vary', async () => {
    const en = await app.inject({ url: '/search?z=1', headers: { 'accept-language': 'en', 'x-forwarded-host': 'evil.example' } });
    const fr = await app.inject({ url: '/search?z=1', headers: { 'accept-language': 'fr' } });
    const enAgain = await app.inject({ url: '/search?z=1', headers: { 'accept-language': 'en' } });

    expect([en, fr, enAgain].map((r) => r.json().lang)).toEqual(['en', 'fr', 'en']);
    expect(enAgain.headers.vary).toMatch(/accept-language/i);
    expect(enAgain.headers.vary).toMatch(/x-tenant/i);
    expect(calls.search).toBe(2);
  });
});

describe('answers that vary beyond the key are not shared', () => {
  test('a handler\'s own Vary naming a header outside `vary` keeps its answer out of the cache', async () => {
    const alice = await app.inject({ url: '/by-key', headers: { 'x-api-key': 'alice' } });
    const bob = await app.inject({ url: '/by-key', headers: { 'x-api-key': 'bob' } });

    expect([alice.json().for, bob.json().for]).toEqual(['alice', 'bob']);
    expect(bob.headers.vary).toMatch(/x-api-key/i);
  });

  test('Vary: * is never stored', async () => {
    await app.inject('/vary-star');
    const second = await app.inject('/vary-star');

    expect(second.json().n).toBe(2);
  });

  test('with compression, a client that takes no encoding never gets the compressed bytes stored for another', async () => {
    app.enableCompression();
    const br = await app.inject({ url: '/big', headers: { 'accept-encoding': 'br' } });
    const identity = await app.inject({ url: '/big', headers: { 'accept-encoding': 'identity' } });
    const none = await app.inject('/big');

    expect(br.headers['content-encoding']).toBe('br');
    for (const res of [identity, none]) {
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.json().text).toBe('cello '.repeat(1000));
    }
  });
});

describe('a stampede', () => {
  test('200 concurrent misses over real sockets call the handler once and all get its body', async () => {
    hold = gate();
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const pending = Array.from({ length: 200 }, () => fetch(`${url}/slow`).then(async (r) => ({ status: r.status, body: await r.json() })));
    while ((calls.slow ?? 0) === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    hold.open();
    const results = await Promise.all(pending);

    expect(calls.slow).toBe(1);
    expect(results.every((r) => r.status === 200 && r.body.n === 1)).toBe(true);
  });
});
