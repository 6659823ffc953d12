import http from 'node:http';
import net from 'node:net';
import {
  App, BackgroundTasks, Cache, CacheEntry, CacheStore, Controller, Get, Guards, HttpError, InvalidateCache,
  MemoryCacheStore, Post, RateLimitConfig, Request, RequestContext, Response,
} from '@cello/core';
import { gate, until } from './helpers/gate';

function makeApp(controllers: Function[], extra: Record<string, unknown> = {}): App {
  return new App({ controllers: controllers as never, logger: false, handleSignals: false, ...extra });
}

describe('@Cache', () => {
  afterEach(() => jest.useRealTimers());

  test('a hit does not call the handler and carries ETag, Cache-Control and Age', async () => {
    let calls = 0;
    @Controller('/items')
    class Items {
      @Get('/') @Cache({ ttl: 120, tags: ['items'] })
      list() { calls++; return { items: ['pen'], calls }; }
    }
    const app = makeApp([Items]);
    const miss = await app.inject('/items');
    expect(miss.statusCode).toBe(200);
    expect(miss.json()).toEqual({ items: ['pen'], calls: 1 });
    expect(miss.headers['cache-control']).toBe('public, max-age=120');
    expect(miss.headers.etag).toMatch(/^"[\w-]+"$/);
    const hit = await app.inject('/items');
    expect(hit.json()).toEqual({ items: ['pen'], calls: 1 });
    expect(hit.headers.etag).toBe(miss.headers.etag);
    expect(hit.headers.age).toBe('0');
    expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(calls).toBe(1);
    await app.close();
  });

  test('the key is the path and the sorted query; vary headers split entries', async () => {
    let calls = 0;
    @Controller('/search')
    class Search {
      @Get('/') @Cache({ ttl: 60, vary: ['Accept-Language'] })
      find(req: Request) { calls++; return { q: req.query, lang: req.header('accept-language') ?? null, calls }; }
    }
    const app = makeApp([Search]);
    await app.inject('/search?b=2&a=1');
    expect((await app.inject('/search?a=1&b=2')).json().calls).toBe(1); // same key: sorted query
    expect((await app.inject('/search?a=1')).json().calls).toBe(2);
    expect((await app.inject({ url: '/search?a=1', headers: { 'accept-language': 'fr' } })).json()).toMatchObject({ lang: 'fr', calls: 3 });
    expect((await app.inject({ url: '/search?a=1', headers: { 'accept-language': 'fr' } })).json().calls).toBe(3);
    await app.close();
  });

  test('a repeated query key keeps the order of its values in the key; distinct keys are sorted', async () => {
    let calls = 0;
    const app = makeApp([]);
    app.get('/tags', (req: Request) => ({ query: req.query, calls: ++calls }), { cache: { ttl: 60 } });
    expect((await app.inject('/tags?a=1&a=2')).json()).toEqual({ query: { a: ['1', '2'] }, calls: 1 });
    expect((await app.inject('/tags?a=2&a=1')).json()).toEqual({ query: { a: ['2', '1'] }, calls: 2 });
    expect((await app.inject('/tags?a=1&a=2')).json().calls).toBe(1);
    await app.inject('/tags?b=1&a=2');
    expect((await app.inject('/tags?a=2&b=1')).json().calls).toBe(3); // same key: different keys sorted
    expect((await app.inject('/tags?b=1&a=2&a=3')).json().calls).toBe(4);
    expect((await app.inject('/tags?a=2&b=1&a=3')).json().calls).toBe(4); // a's values still 2 then 3
    await app.close();
  });

  test('vary headers are sent as Vary on misses, hits and 304s, merged with the Vary already there', async () => {
    const app = makeApp([]);
    app.enableCompression();
    app.get('/greet', (req: Request) => ({ hello: req.header('accept-language') === 'fr' ? 'bonjour' : 'hello' }), { cache: { ttl: 60, vary: ['Accept-Language'] } });
    const varyOf = (res: { headers: Record<string, unknown> }) => String(res.headers.vary).toLowerCase().split(/,\s*/).sort();
    const miss = await app.inject({ url: '/greet', headers: { 'accept-language': 'fr' } });
    expect(miss.json()).toEqual({ hello: 'bonjour' });
    expect(varyOf(miss)).toEqual(['accept-encoding', 'accept-language']);
    const hit = await app.inject({ url: '/greet', headers: { 'accept-language': 'fr' } });
    expect(hit.headers.age).toBe('0');
    expect(varyOf(hit)).toEqual(['accept-encoding', 'accept-language']);
    const notModified = await app.inject({ url: '/greet', headers: { 'accept-language': 'fr', 'if-none-match': miss.headers.etag as string } });
    expect(notModified.statusCode).toBe(304);
    expect(varyOf(notModified)).toEqual(['accept-encoding', 'accept-language']);
    await app.close();
  });

  test('over a real socket, hits and 304s answered before fastify carry Vary too', async () => {
    let calls = 0;
    const app = makeApp([]);
    app.get('/greet', (req: Request) => ({ hello: req.header('accept-language') === 'fr' ? 'bonjour' : 'hello', calls: ++calls }), { cache: { ttl: 60, vary: ['Accept-Language'] } });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const fr = { 'accept-language': 'fr' };
    const miss = await fetch(`${url}/greet`, { headers: fr });
    expect(await miss.json()).toEqual({ hello: 'bonjour', calls: 1 });
    expect(miss.headers.get('vary')).toBe('accept-language');
    const hit = await fetch(`${url}/greet`, { headers: fr });
    expect(await hit.json()).toEqual({ hello: 'bonjour', calls: 1 });
    expect(hit.headers.get('vary')).toBe('accept-language');
    const notModified = await fetch(`${url}/greet`, { headers: { ...fr, 'if-none-match': miss.headers.get('etag')! } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('vary')).toBe('accept-language');
    expect(calls).toBe(1);
    await app.close();
  });

  test('entries expire after ttl seconds', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    jest.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    let calls = 0;
    const app = makeApp([]);
    app.get('/t', () => ({ calls: ++calls }), { cache: { ttl: 10 } });
    expect((await app.inject('/t')).json().calls).toBe(1);
    jest.setSystemTime(new Date('2026-01-01T00:00:09Z'));
    const hit = await app.inject('/t');
    expect(hit.json().calls).toBe(1);
    expect(hit.headers.age).toBe('9');
    jest.setSystemTime(new Date('2026-01-01T00:00:10Z'));
    expect((await app.inject('/t')).json().calls).toBe(2);
    await app.close();
  });

  test('@InvalidateCache drops tagged entries after a 2xx, before the response; a 4xx keeps them', async () => {
    const items = ['pen'];
    @Controller('/items')
    class Items {
      @Get('/') @Cache({ ttl: 120, tags: ['items'] }) list() { return { items: [...items] }; }
      @Get('/other') @Cache({ ttl: 120, tags: ['other'] }) other() { return { n: items.length }; }
      @Post('/') @InvalidateCache({ tags: ['items'] })
      create(req: Request) {
        const name = (req.body as { name?: string }).name;
        if (!name) throw HttpError.badRequest('name is required');
        items.push(name);
        return Response.json({ created: name }, 201);
      }
    }
    const app = makeApp([Items]);
    await app.inject('/items');
    await app.inject('/items/other');
    expect((await app.inject({ method: 'POST', url: '/items', payload: {} })).statusCode).toBe(400);
    expect((await app.inject('/items')).json()).toEqual({ items: ['pen'] }); // still cached, stale on purpose
    items.push('cup'); // a change the cache does not know about
    expect((await app.inject({ method: 'POST', url: '/items', payload: { name: 'ink' } })).statusCode).toBe(201);
    expect((await app.inject('/items')).json()).toEqual({ items: ['pen', 'cup', 'ink'] });
    expect((await app.inject('/items/other')).json()).toEqual({ n: 1 }); // other tag untouched
    await app.close();
  });

  // Wraps a memory store behind promises, as a store on the network (Redis) answers.
  function asyncStoreOver(backing: MemoryCacheStore): CacheStore {
    return {
      get: async (key) => backing.get(key),
      set: async (key, e) => backing.set(key, e),
      delete: async (key) => backing.delete(key),
      invalidateTags: async (tags) => backing.invalidateTags(tags),
      clear: async () => backing.clear(),
      tagVersions: async (tags) => backing.tagVersions(tags),
    };
  }

  describe.each([
    ['the memory store', () => undefined],
    ['an asynchronous store', () => asyncStoreOver(new MemoryCacheStore())],
  ])('an invalidation while a GET computes (%s)', (_name, makeStore) => {
    function itemsApp(hold: Promise<void>, started: () => void) {
      const state = { version: 1, calls: 0 };
      @Controller('/items')
      class Items {
        @Get('/') @Cache({ ttl: 60, tags: ['items'] })
        async list() {
          const seen = state.version; // read before the invalidation...
          if (++state.calls === 1) { started(); await hold; } // ...returned after it
          return { version: seen };
        }

        @Post('/') @InvalidateCache({ tags: ['items'] })
        bump() { state.version++; return { version: state.version }; }
      }
      const app = makeApp([Items]);
      const store = makeStore();
      if (store !== undefined) app.enableCache({ store });
      return { app, state };
    }

    test('the GET that started before it does not store its old result', async () => {
      const started = gate();
      const release = gate();
      const { app, state } = itemsApp(release.promise, started.open);
      const before = app.inject('/items');
      await started.promise;
      expect((await app.inject({ method: 'POST', url: '/items' })).json()).toEqual({ version: 2 });
      release.open();
      expect((await before).json()).toEqual({ version: 1 }); // its own answer is what it computed
      expect((await app.inject('/items')).json()).toEqual({ version: 2 });
      expect(state.calls).toBe(2);
      await app.close();
    });

    test('a GET that starts after it never gets the old result', async () => {
      const started = gate();
      const release = gate();
      const { app } = itemsApp(release.promise, started.open);
      const before = app.inject('/items');
      await started.promise;
      await app.inject({ method: 'POST', url: '/items' });
      const after = app.inject('/items'); // may join the GET still computing
      release.open();
      await before;
      expect((await after).json()).toEqual({ version: 2 });
      expect((await app.inject('/items')).json()).toEqual({ version: 2 });
      await app.close();
    });
  });

  test('app.cache.invalidate({ tags }) and app.cache.clear()', async () => {
    let calls = 0;
    const app = makeApp([]);
    app.get('/a', () => ({ calls: ++calls }), { cache: { ttl: 60, tags: ['a'] } });
    await app.inject('/a');
    await app.cache.invalidate({ tags: ['a'] });
    expect((await app.inject('/a')).json().calls).toBe(2);
    await app.cache.clear();
    expect((await app.inject('/a')).json().calls).toBe(3);
    await app.close();
  });

  test('50 concurrent misses for one key call the handler once (single flight)', async () => {
    let calls = 0;
    const app = makeApp([]);
    // The guard runs before the cache: once all 50 passed it, one loop turn lets each join the flight.
    let arrived = 0;
    const allArrived = gate();
    const counter = { canActivate: () => { if (++arrived === 50) allArrived.open(); return true; } };
    app.get('/slow', async () => {
      calls++;
      await allArrived.promise;
      await new Promise((r) => setImmediate(r));
      return { value: 42 };
    }, { cache: { ttl: 60 }, guards: [counter] });
    const responses = await Promise.all(Array.from({ length: 50 }, () => app.inject('/slow')));
    expect(calls).toBe(1);
    expect(responses.every((r) => r.statusCode === 200 && r.json().value === 42)).toBe(true);
    await app.close();
  });

  test('when the single-flight leader throws, every waiter gets the error and the next request recomputes', async () => {
    let calls = 0;
    const app = makeApp([]);
    let arrived = 0;
    const allArrived = gate();
    const counter = { canActivate: () => { if (++arrived === 10) allArrived.open(); return true; } };
    app.get('/flaky', async () => {
      calls++;
      await allArrived.promise;
      await new Promise((r) => setImmediate(r));
      if (calls === 1) throw HttpError.serviceUnavailable('upstream down');
      return { ok: true };
    }, { cache: { ttl: 60 }, guards: [counter] });
    const failed = await Promise.all(Array.from({ length: 10 }, () => app.inject('/flaky')));
    expect(failed.map((r) => r.statusCode)).toEqual(Array(10).fill(503));
    expect(calls).toBe(1);
    expect((await app.inject('/flaky')).json()).toEqual({ ok: true });
    expect(calls).toBe(2);
    await app.close();
  });

  test("when the leader's client goes away, the computation still completes for the others", async () => {
    const started = gate();
    const release = gate();
    let calls = 0;
    const app = makeApp([]);
    let arrived = 0;
    const bothArrived = gate();
    const counter = { canActivate: () => { if (++arrived === 2) bothArrived.open(); return true; } };
    app.get('/report', async () => { calls++; started.open(); await release.promise; return { report: 'done' }; }, { cache: { ttl: 60 }, guards: [counter] });
    const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    const leaderSocket = new Promise<net.Socket>((r) => app.fastify.server.once('connection', r));
    const leader = http.get({ host: url.hostname, port: url.port, path: '/report' });
    leader.on('error', () => undefined);
    await started.promise;
    const follower = fetch(`${url.origin}/report`);
    await bothArrived.promise;
    leader.destroy();
    const socket = await leaderSocket;
    await new Promise((r) => (socket.destroyed ? r(null) : socket.once('close', r)));
    release.open();
    const res = await follower;
    expect(await res.json()).toEqual({ report: 'done' });
    expect(calls).toBe(1);
    await app.close();
  });

  test('If-None-Match with the ETag answers 304 without a body', async () => {
    const app = makeApp([]);
    app.get('/doc', () => ({ doc: 'x'.repeat(100) }), { cache: { ttl: 60 } });
    const first = await app.inject('/doc');
    const again = await app.inject({ url: '/doc', headers: { 'if-none-match': first.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const other = await app.inject({ url: '/doc', headers: { 'if-none-match': '"something-else"' } });
    expect(other.statusCode).toBe(200);
    await app.close();
  });

  test('HEAD is answered from the GET entry', async () => {
    let calls = 0;
    const app = makeApp([]);
    app.get('/h', () => ({ calls: ++calls }), { cache: { ttl: 60 } });
    await app.inject('/h');
    const head = await app.inject({ method: 'HEAD', url: '/h' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers.etag).toBeDefined();
    expect(calls).toBe(1);
    await app.close();
  });

  test('requests with Authorization or cookies never get an entry made for someone else (default: bypass)', async () => {
    let calls = 0;
    const app = makeApp([]);
    app.get('/me', (req: Request) => ({ who: req.header('authorization') ?? req.header('cookie') ?? 'anonymous', calls: ++calls }), { cache: { ttl: 60 } });
    await app.inject('/me'); // anonymous entry
    const alice = await app.inject({ url: '/me', headers: { authorization: 'Bearer alice' } });
    expect(alice.json()).toMatchObject({ who: 'Bearer alice' });
    expect(alice.headers.etag).toBeUndefined();
    const bob = await app.inject({ url: '/me', headers: { cookie: 'session=bob' } });
    expect(bob.json()).toMatchObject({ who: 'session=bob' });
    expect(calls).toBe(3);
    expect((await app.inject('/me')).json()).toEqual({ who: 'anonymous', calls: 1 });
    await app.close();
  });

  test("'per-credential' keys entries by the credentials and marks them private", async () => {
    let calls = 0;
    const app = makeApp([]);
    app.get('/mine', (req: Request) => ({ who: req.header('authorization'), calls: ++calls }), { cache: { ttl: 60, credentials: 'per-credential' } });
    const a1 = await app.inject({ url: '/mine', headers: { authorization: 'Bearer alice' } });
    const b1 = await app.inject({ url: '/mine', headers: { authorization: 'Bearer bob' } });
    const a2 = await app.inject({ url: '/mine', headers: { authorization: 'Bearer alice' } });
    expect(a1.json().who).toBe('Bearer alice');
    expect(b1.json().who).toBe('Bearer bob');
    expect(a2.json()).toEqual(a1.json());
    expect(a2.headers['cache-control']).toBe('private, max-age=60');
    expect(calls).toBe(2);
    await app.close();
  });

  test('guards run before the lookup: a denied request never gets a cached body', async () => {
    let calls = 0;
    const allowHeader = { canActivate: (ctx: RequestContext) => ctx.request.header('x-allowed') === 'yes' };
    @Controller('/secret')
    class Secret {
      @Get('/') @Guards(allowHeader) @Cache({ ttl: 60 }) read() { return { secret: 's3cr3t', calls: ++calls }; }
    }
    const app = makeApp([Secret]);
    expect((await app.inject({ url: '/secret', headers: { 'x-allowed': 'yes' } })).statusCode).toBe(200);
    const denied = await app.inject('/secret');
    expect(denied.statusCode).toBe(403);
    expect(denied.body).not.toContain('s3cr3t');
    await app.close();
  });

  test('only 200s are stored; errors, Set-Cookie responses and streams are not', async () => {
    let notFound = 0; let cookie = 0; let stream = 0; let created = 0;
    const app = makeApp([]);
    app.get('/nf', () => { notFound++; throw HttpError.notFound('nope'); }, { cache: { ttl: 60 } });
    app.get('/cookie', () => { cookie++; return Response.json({ ok: true }, { headers: { 'set-cookie': 'a=1' } }); }, { cache: { ttl: 60 } });
    app.get('/stream', () => { stream++; return Response.stream((async function* () { yield 'a'; })()); }, { cache: { ttl: 60 } });
    app.get('/accepted', () => { created++; return Response.json({ queued: true }, 202); }, { cache: { ttl: 60 } });
    for (let i = 0; i < 2; i++) {
      await app.inject('/nf');
      await app.inject('/cookie');
      await app.inject('/stream');
      await app.inject('/accepted');
    }
    expect([notFound, cookie, stream, created]).toEqual([2, 2, 2, 2]);
    await app.close();
  });

  test('a Response is cached with its status and headers; a hit never replays RateLimit headers', async () => {
    let calls = 0;
    const app = makeApp([]);
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 100, window: 60 }));
    app.get('/custom', () => { calls++; return Response.text('hello', { headers: { 'x-version': '7' } }); }, { cache: { ttl: 60, statuses: [200] } });
    const first = await app.inject('/custom');
    const second = await app.inject('/custom');
    expect(second.body).toBe('hello');
    expect(second.headers['x-version']).toBe('7');
    expect(second.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(first.headers['ratelimit-remaining']).toBe('99');
    expect(second.headers['ratelimit-remaining']).toBe('98'); // this request's own, not the stored one
    expect(calls).toBe(1);
    await app.close();
  });

  test('sync and async handlers, and a hit does not run background tasks again', async () => {
    const events: string[] = [];
    @Controller('/')
    class C {
      @Get('/sync') @Cache({ ttl: 60 }) sync() { events.push('sync'); return 'plain'; }
      @Get('/async') @Cache({ ttl: 60 }) async later(tasks: BackgroundTasks) { tasks.add(() => events.push('task')); return { later: true }; }
    }
    const app = makeApp([C]);
    expect((await app.inject('/sync')).body).toBe('plain');
    expect((await app.inject('/sync')).headers['content-type']).toBe('text/plain; charset=utf-8');
    await app.inject('/async');
    await app.inject('/async');
    // close() waits for every background task, so a second one would be in by now.
    await app.close();
    expect(events).toEqual(['sync', 'task']);
  });

  test('the memory store is an LRU bounded by entries and by bytes', () => {
    const entry = (body: string): CacheEntry => ({
      status: 200, headers: {}, body: Buffer.from(body), etag: '"e"', storedAt: Date.now(), expiresAt: Date.now() + 60_000, tags: ['t'],
    });
    const byCount = new MemoryCacheStore({ maxEntries: 2 });
    byCount.set('a', entry('1'));
    byCount.set('b', entry('2'));
    byCount.get('a'); // a is now more recent than b
    byCount.set('c', entry('3'));
    expect([byCount.get('a') !== undefined, byCount.get('b') !== undefined, byCount.get('c') !== undefined]).toEqual([true, false, true]);

    const byBytes = new MemoryCacheStore({ maxBytes: 10 });
    byBytes.set('a', entry('12345'));
    byBytes.set('b', entry('12345'));
    byBytes.set('c', entry('123'));
    expect(byBytes.get('a')).toBeUndefined();
    expect(byBytes.bytes).toBeLessThanOrEqual(10);
    byBytes.set('huge', entry('x'.repeat(11)));
    expect(byBytes.get('huge')).toBeUndefined();
    byBytes.invalidateTags(['t']);
    expect(byBytes.size).toBe(0);
  });

  test('the memory store moves tag generations on invalidateTags and clear, and refuses an entry computed under old ones', () => {
    const store = new MemoryCacheStore();
    const entry = (tagVersions: readonly number[]): CacheEntry => ({
      status: 200, headers: {}, body: Buffer.from('x'), etag: '"e"', storedAt: Date.now(), expiresAt: Date.now() + 60_000, tags: ['a', 'b'], tagVersions,
    });
    const v1 = store.tagVersions(['a', 'b']);
    store.invalidateTags(['b']);
    const v2 = store.tagVersions(['a', 'b']);
    expect(v2[0]).toBe(v1[0]);
    expect(v2[1]).not.toBe(v1[1]);
    store.set('old', entry(v1));
    expect(store.get('old')).toBeUndefined();
    store.set('new', entry(v2));
    expect(store.get('new')).toBeDefined();
    store.clear();
    const v3 = store.tagVersions(['a', 'b']);
    expect([v3[0] === v2[0], v3[1] === v2[1]]).toEqual([false, false]);
    store.set('new', entry(v2));
    expect(store.size).toBe(0);
  });

  test('enableCache({ store }) works with an asynchronous store (as the Redis one is)', async () => {
    const backing = new MemoryCacheStore();
    const calls: string[] = [];
    const asyncStore: CacheStore = {
      get: async (key) => { calls.push('get'); return backing.get(key); },
      set: async (key, e) => { calls.push('set'); backing.set(key, e); },
      delete: async (key) => backing.delete(key),
      invalidateTags: async (tags) => backing.invalidateTags(tags),
      clear: async () => backing.clear(),
    };
    let handler = 0;
    const app = makeApp([]);
    app.enableCache({ store: asyncStore });
    app.get('/x', () => ({ handler: ++handler }), { cache: { ttl: 60, tags: ['x'] } });
    await app.inject('/x');
    expect((await app.inject('/x')).json()).toEqual({ handler: 1 });
    await app.cache.invalidate({ tags: ['x'] });
    expect((await app.inject('/x')).json()).toEqual({ handler: 2 });
    expect(calls).toEqual(['get', 'set', 'get', 'get', 'set']);
    await app.close();
  });

  test('@Cache on a POST route is a startup error', async () => {
    @Controller('/bad')
    class Bad { @Post('/') @Cache({ ttl: 60 }) create() { return 1; } }
    const app = makeApp([Bad]);
    expect(() => app.routes()).toThrow(expect.objectContaining({ code: 'CELLO_ERR_CACHE_NOT_GET' }));
  });

  test('over a real socket, hits are answered before fastify (304 and HEAD too), misses go through it', async () => {
    let calls = 0;
    const app = makeApp([]);
    app.get('/fast', () => ({ calls: ++calls, pad: 'y'.repeat(200) }), { cache: { ttl: 60, tags: ['fast'] } });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const miss = await fetch(`${url}/fast`);
    const missBody = await miss.json();
    const hit = await fetch(`${url}/fast`);
    expect(await hit.json()).toEqual(missBody);
    expect(hit.headers.get('etag')).toBe(miss.headers.get('etag'));
    expect(hit.headers.get('age')).toBe('0');
    expect(hit.headers.get('cache-control')).toBe('public, max-age=60');
    const notModified = await fetch(`${url}/fast`, { headers: { 'if-none-match': miss.headers.get('etag')! } });
    expect(notModified.status).toBe(304);
    const head = await fetch(`${url}/fast`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(JSON.stringify(missBody).length));
    await app.cache.invalidate({ tags: ['fast'] });
    expect((await (await fetch(`${url}/fast`)).json()).calls).toBe(2);
    expect(calls).toBe(2);
    await app.close();
  });
});
