import {
  App,
  Controller,
  Get,
  MemoryRateLimitStore,
  RateLimit,
  RateLimitConfig,
  SkipRateLimit,
  type RateLimitDecision,
  type RateLimitRule,
  type RateLimitStore,
} from '@cello/core';
import { countInWindow, takeToken } from '../src/middleware/rate-limit/algorithms';
import { clientKey } from '../src/middleware/rate-limit/client-key';

// Fake timers drive Date.now() (which the limiter reads); fastify and inject keep their ticks.
function fakeClock(at: number): void {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  jest.setSystemTime(at);
}

// A round time, so window edges are easy to name.
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

function limits(res: { headers: Record<string, unknown> }) {
  return {
    limit: Number(res.headers['ratelimit-limit']),
    remaining: Number(res.headers['ratelimit-remaining']),
    reset: Number(res.headers['ratelimit-reset']),
  };
}

describe('enableRateLimit(RateLimitConfig.tokenBucket())', () => {
  let app: App;

  beforeEach(() => {
    fakeClock(T0);
    app = new App({ logger: false });
    app.get('/items', () => ({ items: [] }));
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 3, window: 60 }));
  });

  afterEach(async () => {
    await app.close();
    jest.useRealTimers();
  });

  test('lets a burst of `requests` through, then answers 429 with Retry-After', async () => {
    const statuses: number[] = [];
    const remaining: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await app.inject({ method: 'GET', url: '/items' });
      statuses.push(res.statusCode);
      remaining.push(limits(res).remaining);
    }

    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(remaining).toEqual([2, 1, 0, 0]);
  });

  test('every limited response carries RateLimit-Limit, -Remaining and -Reset; a 429 also Retry-After', async () => {
    const first = await app.inject({ method: 'GET', url: '/items' });
    await app.inject({ method: 'GET', url: '/items' });
    await app.inject({ method: 'GET', url: '/items' });
    const denied = await app.inject({ method: 'GET', url: '/items' });

    expect(limits(first)).toEqual({ limit: 3, remaining: 2, reset: 20 });
    expect(first.headers['retry-after']).toBeUndefined();
    expect(denied.statusCode).toBe(429);
    expect(denied.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Rate limit exceeded; retry in 20 seconds' });
    // One token comes back every 20 s; all three after 60 s.
    expect(denied.headers['retry-after']).toBe('20');
    expect(limits(denied)).toEqual({ limit: 3, remaining: 0, reset: 60 });
  });

  test('refills evenly as time passes, never above the burst size', async () => {
    for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: '/items' });
    expect((await app.inject({ method: 'GET', url: '/items' })).statusCode).toBe(429);

    jest.setSystemTime(T0 + 19_999);
    expect((await app.inject({ method: 'GET', url: '/items' })).statusCode).toBe(429);

    jest.setSystemTime(T0 + 20_000);
    const refilled = await app.inject({ method: 'GET', url: '/items' });
    expect(refilled.statusCode).toBe(200);
    expect(limits(refilled).remaining).toBe(0);
    expect((await app.inject({ method: 'GET', url: '/items' })).statusCode).toBe(429);

    // A long idle time fills the bucket to 3, not more.
    jest.setSystemTime(T0 + 3_600_000);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.inject({ method: 'GET', url: '/items' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  test('Retry-After is honest: retrying after it succeeds', async () => {
    for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: '/items' });
    jest.setSystemTime(T0 + 7_300);
    const denied = await app.inject({ method: 'GET', url: '/items' });
    expect(denied.statusCode).toBe(429);

    jest.setSystemTime(T0 + 7_300 + Number(denied.headers['retry-after']) * 1000);

    expect((await app.inject({ method: 'GET', url: '/items' })).statusCode).toBe(200);
  });

  test('clients are limited separately, by IP by default', async () => {
    for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: '/items', remoteAddress: '10.0.0.1' });

    expect((await app.inject({ method: 'GET', url: '/items', remoteAddress: '10.0.0.1' })).statusCode).toBe(429);
    expect((await app.inject({ method: 'GET', url: '/items', remoteAddress: '10.0.0.2' })).statusCode).toBe(200);
  });

  test('a 404 is not counted against the limit of routes', async () => {
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/nowhere' })).statusCode).toBe(404);

    expect((await app.inject({ method: 'GET', url: '/items' })).statusCode).toBe(200);
  });
});

describe('enableRateLimit(RateLimitConfig.slidingWindow())', () => {
  let app: App;

  beforeEach(() => {
    fakeClock(T0);
    app = new App({ logger: false });
    app.get('/items', () => ({ items: [] }));
    app.enableRateLimit(RateLimitConfig.slidingWindow({ requests: 4, window: 10 }));
  });

  afterEach(async () => {
    await app.close();
    jest.useRealTimers();
  });

  async function burst(n: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push((await app.inject({ method: 'GET', url: '/items' })).statusCode);
    return statuses;
  }

  test('allows `requests` per window, then 429', async () => {
    expect(await burst(5)).toEqual([200, 200, 200, 200, 429]);
  });

  test('does not reset at the window edge: the previous window still weighs', async () => {
    jest.setSystemTime(T0 + 9_000);
    expect(await burst(4)).toEqual([200, 200, 200, 200]);

    // 1 ms into the next window, the last 10 s still hold ~4 requests: a fixed window would allow 4 more.
    jest.setSystemTime(T0 + 10_001);
    const denied = await app.inject({ method: 'GET', url: '/items' });
    expect(denied.statusCode).toBe(429);
    // The previous window's 4 weigh less than 3 once a quarter of this window has passed.
    expect(denied.headers['retry-after']).toBe('3');

    jest.setSystemTime(T0 + 12_499);
    expect((await app.inject({ method: 'GET', url: '/items' })).statusCode).toBe(429);
    jest.setSystemTime(T0 + 12_500);
    expect((await app.inject({ method: 'GET', url: '/items' })).statusCode).toBe(200);
  });

  test('a window two lengths old weighs nothing', async () => {
    expect(await burst(4)).toEqual([200, 200, 200, 200]);

    jest.setSystemTime(T0 + 20_000);

    expect(await burst(5)).toEqual([200, 200, 200, 200, 429]);
  });

  test('RateLimit-Reset is when the limit is fully available again', async () => {
    jest.setSystemTime(T0 + 4_000);
    const res = await app.inject({ method: 'GET', url: '/items' });

    // This window's request still weighs until the end of the next window.
    expect(limits(res)).toEqual({ limit: 4, remaining: 3, reset: 16 });

    jest.setSystemTime(T0 + 4_000 + 16_000);
    expect(limits(await app.inject({ method: 'GET', url: '/items' })).remaining).toBe(3);
  });
});

describe('the algorithms (pure functions)', () => {
  const bucket = RateLimitConfig.tokenBucket({ requests: 10, window: 10 });
  const sliding = RateLimitConfig.slidingWindow({ requests: 10, window: 10 });

  test('takeToken: a new key starts full and refills one token per window/requests', () => {
    let { state, decision } = takeToken(undefined, bucket, 0);
    expect(decision).toEqual({ allowed: true, limit: 10, remaining: 9, reset: 1, retryAfter: 0 });
    for (let i = 0; i < 9; i++) ({ state, decision } = takeToken(state, bucket, 0));
    expect(decision.remaining).toBe(0);

    ({ state, decision } = takeToken(state, bucket, 500));
    expect(decision.allowed).toBe(false);
    expect(decision.retryAfter).toBe(1);
    ({ state, decision } = takeToken(state, bucket, 1_000));
    expect(decision.allowed).toBe(true);
    expect(state.tokens).toBeCloseTo(0);
  });

  test('takeToken: time running backwards never adds tokens', () => {
    let { state } = takeToken(undefined, bucket, 10_000);
    for (let i = 0; i < 9; i++) ({ state } = takeToken(state, bucket, 10_000));
    const back = takeToken(state, bucket, 5_000);
    const again = takeToken(back.state, bucket, 10_000);

    expect(back.decision.allowed).toBe(false);
    expect(again.decision.allowed).toBe(false);
  });

  test('countInWindow: the estimate is previous * overlap + current', () => {
    // 10 requests in [0, 10 s).
    let s = countInWindow(undefined, sliding, 0).state;
    for (let i = 0; i < 9; i++) s = countInWindow(s, sliding, 5_000).state;
    expect(s).toEqual({ start: 0, count: 10, previous: 0 });

    // At 13 s, 70 % of the previous window overlaps: 7 of 10 still count, so 3 more fit.
    const results = [];
    for (let i = 0; i < 4; i++) {
      const r = countInWindow(s, sliding, 13_000);
      s = r.state;
      results.push(r.decision.allowed);
    }
    expect(results).toEqual([true, true, true, false]);
    expect(s).toEqual({ start: 10_000, count: 3, previous: 10 });
  });

  test('countInWindow: Retry-After points at the first moment a request fits', () => {
    let s = countInWindow(undefined, sliding, 0).state;
    for (let i = 0; i < 9; i++) s = countInWindow(s, sliding, 0).state;

    const denied = countInWindow(s, sliding, 2_000).decision;
    expect(denied.allowed).toBe(false);
    // This window ends at 10 s, and its 10 must decay to 9: 1 s into the next window.
    expect(denied.retryAfter).toBe(9);
    expect(countInWindow(s, sliding, 10_999).decision.allowed).toBe(false);
    expect(countInWindow(s, sliding, 11_000).decision.allowed).toBe(true);
  });
});

describe('the key', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test('a key function decides who shares a limit', async () => {
    const app = new App({ logger: false });
    app.get('/items', () => ({ ok: true }));
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 2, window: 60, key: (req) => req.header('x-api-key') ?? req.ip }));

    const statuses = [];
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
      statuses.push((await app.inject({ method: 'GET', url: '/items', remoteAddress: ip, headers: { 'x-api-key': 'k1' } })).statusCode);
    }
    const other = await app.inject({ method: 'GET', url: '/items', remoteAddress: '10.0.0.1', headers: { 'x-api-key': 'k2' } });

    expect(statuses).toEqual([200, 200, 429]);
    expect(other.statusCode).toBe(200);
    await app.close();
  });

  test('clientKey groups IPv6 by /64 and keeps IPv4 as is', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0DB8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('2001:db8:0:1::1')).not.toBe(clientKey('2001:db8:0:2::1'));
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  test('clientKey: an IPv4-mapped IPv6 address is its IPv4 address, however it is written', () => {
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::FFFF:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('0:0:0:0:0:ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:cb00:7107')).toBe('203.0.113.7');
    // Two different IPv4 clients are not one /64.
    expect(clientKey('::ffff:cb00:7108')).not.toBe(clientKey('::ffff:cb00:7107'));
  });

  test('two addresses of one IPv6 /64 share a limit; another /64 has its own', async () => {
    const app = new App({ logger: false });
    app.get('/items', () => ({ ok: true }));
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 2, window: 60 }));

    const a = await app.inject({ method: 'GET', url: '/items', remoteAddress: '2001:db8:aa:bb::1' });
    const b = await app.inject({ method: 'GET', url: '/items', remoteAddress: '2001:db8:aa:bb:dead:beef:0:1' });
    const c = await app.inject({ method: 'GET', url: '/items', remoteAddress: '2001:db8:aa:bb::ffff' });
    const d = await app.inject({ method: 'GET', url: '/items', remoteAddress: '2001:db8:aa:bc::1' });

    expect([a, b, c, d].map((r) => r.statusCode)).toEqual([200, 200, 429, 200]);
    await app.close();
  });

  test('X-Forwarded-For is ignored without trustProxy (a client cannot pick its own key)', async () => {
    const app = new App({ logger: false });
    app.get('/items', () => ({ ok: true }));
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 1, window: 60 }));

    const first = await app.inject({ method: 'GET', url: '/items', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '1.1.1.1' } });
    const spoofed = await app.inject({ method: 'GET', url: '/items', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '2.2.2.2' } });

    expect([first.statusCode, spoofed.statusCode]).toEqual([200, 429]);
    await app.close();
  });

  test('X-Forwarded-For is the client with new App({ trustProxy: true })', async () => {
    const app = new App({ logger: false, trustProxy: true });
    app.get('/items', () => ({ ok: true }));
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 1, window: 60 }));

    const one = await app.inject({ method: 'GET', url: '/items', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '1.1.1.1' } });
    const two = await app.inject({ method: 'GET', url: '/items', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '2.2.2.2' } });
    const oneAgain = await app.inject({ method: 'GET', url: '/items', remoteAddress: '10.0.0.9', headers: { 'x-forwarded-for': '1.1.1.1' } });
    const v6 = await app.inject({ method: 'GET', url: '/items', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '2001:db8:1:1::1' } });
    const v6Sibling = await app.inject({ method: 'GET', url: '/items', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '2001:db8:1:1::2' } });

    expect([one, two, oneAgain, v6, v6Sibling].map((r) => r.statusCode)).toEqual([200, 200, 429, 200, 429]);
    await app.close();
  });
});

describe('per route', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test('@RateLimit(config) replaces the app limit; @SkipRateLimit() opts out', async () => {
    @Controller('/auth')
    class AuthController {
      @RateLimit(RateLimitConfig.slidingWindow({ requests: 1, window: 60 }))
      @Get('/login')
      login() { return { ok: true }; }

      @SkipRateLimit()
      @Get('/health')
      health() { return { ok: true }; }

      @Get('/me')
      me() { return { ok: true }; }
    }
    const app = new App({ controllers: [AuthController], logger: false });
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 3, window: 60 }));

    const login = [];
    for (let i = 0; i < 2; i++) login.push(await app.inject({ method: 'GET', url: '/auth/login' }));
    const health = [];
    for (let i = 0; i < 10; i++) health.push(await app.inject({ method: 'GET', url: '/auth/health' }));
    const me = [];
    for (let i = 0; i < 4; i++) me.push((await app.inject({ method: 'GET', url: '/auth/me' })).statusCode);

    expect(login.map((r) => r.statusCode)).toEqual([200, 429]);
    expect(login[0]!.headers['ratelimit-limit']).toBe('1');
    expect(health.every((r) => r.statusCode === 200)).toBe(true);
    expect(health[0]!.headers['ratelimit-limit']).toBeUndefined();
    // The route's own limit is a separate budget: /login did not spend /me's.
    expect(me).toEqual([200, 200, 200, 429]);
    await app.close();
  });

  test('@SkipRateLimit() and @RateLimit() on a controller class apply to all its routes', async () => {
    @SkipRateLimit()
    @Controller('/free')
    class FreeController {
      @Get('/')
      get() { return { ok: true }; }
    }
    @RateLimit(RateLimitConfig.tokenBucket({ requests: 1, window: 60 }))
    @Controller('/strict')
    class StrictController {
      @Get('/a')
      a() { return { ok: true }; }

      @Get('/b')
      b() { return { ok: true }; }
    }
    const app = new App({ controllers: [FreeController, StrictController], logger: false });
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 100, window: 60 }));

    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/free' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/strict/a' })).statusCode).toBe(200);
    // One rule, one budget: routes sharing a rule share the client's bucket.
    expect((await app.inject({ method: 'GET', url: '/strict/b' })).statusCode).toBe(429);
    await app.close();
  });

  test('@RateLimit works without an app-wide limit, and route options take rateLimit too', async () => {
    @Controller('/x')
    class XController {
      @RateLimit(RateLimitConfig.tokenBucket({ requests: 1, window: 60 }))
      @Get('/limited')
      limited() { return { ok: true }; }

      @Get('/open')
      open() { return { ok: true }; }
    }
    const app = new App({ controllers: [XController], logger: false });
    app.get('/fn', () => ({ ok: true }), { rateLimit: RateLimitConfig.tokenBucket({ requests: 1, window: 60 }) });

    expect((await app.inject({ method: 'GET', url: '/x/limited' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/x/limited' })).statusCode).toBe(429);
    expect((await app.inject({ method: 'GET', url: '/fn' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/fn' })).statusCode).toBe(429);
    const open = await app.inject({ method: 'GET', url: '/x/open' });
    expect(open.statusCode).toBe(200);
    expect(open.headers['ratelimit-limit']).toBeUndefined();
    await app.close();
  });

  test('@RateLimit() rejects what is not a RateLimitConfig rule', () => {
    expect(() => RateLimit({ requests: 1, window: 1 } as unknown as RateLimitRule)).toThrow(expect.objectContaining({ code: 'CELLO_ERR_RATE_LIMIT_CONFIG' }));
  });
});

describe('under concurrency', () => {
  // A day-long window: a token bucket refills one token per window/requests seconds, and 500
  // injected requests on a loaded machine can take longer than the 1.6 s a 60 s window gives.
  test.each([
    ['tokenBucket', RateLimitConfig.tokenBucket({ requests: 37, window: 86_400 })],
    ['slidingWindow', RateLimitConfig.slidingWindow({ requests: 37, window: 86_400 })],
  ])('%s: exactly N of 500 concurrent requests pass a limit of N', async (_name, rule) => {
    const app = new App({ logger: false });
    app.get('/items', async () => ({ ok: true }));
    app.enableRateLimit(rule);
    await app.ready();

    const responses = await Promise.all(Array.from({ length: 500 }, () => app.inject({ method: 'GET', url: '/items' })));

    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(37);
    expect(responses.filter((r) => r.statusCode === 429)).toHaveLength(463);
    await app.close();
  });

  test('an async store (the RateLimitStore interface) is honoured, and its failure is a 500 not a pass', async () => {
    const seen: string[] = [];
    const inner = new MemoryRateLimitStore();
    let failing = false;
    const store: RateLimitStore = {
      async hit(key: string, rule: RateLimitRule, now: number): Promise<RateLimitDecision> {
        seen.push(key);
        await new Promise((r) => setImmediate(r));
        if (failing) throw new Error('store down');
        return inner.hit(key, rule, now);
      },
    };
    const app = new App({ logger: false });
    app.get('/items', () => ({ ok: true }));
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 2, window: 60 }), { store });

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.inject({ method: 'GET', url: '/items', remoteAddress: '10.1.1.1' })).statusCode);
    failing = true;
    const failed = await app.inject({ method: 'GET', url: '/items', remoteAddress: '10.1.1.2' });

    expect(statuses).toEqual([200, 200, 429]);
    expect(failed.statusCode).toBe(500);
    expect(failed.json().message).toBe('Internal Server Error');
    expect(seen[0]).toMatch(/:10\.1\.1\.1$/);
    await app.close();
  });
});

describe('MemoryRateLimitStore', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test('stays bounded: after 1000 distinct keys it tracks maxKeys of them', () => {
    const store = new MemoryRateLimitStore({ maxKeys: 100 });
    const rule = RateLimitConfig.tokenBucket({ requests: 1, window: 60 });

    for (let i = 0; i < 1000; i++) store.hit(`client-${i}`, rule, 0);

    expect(store.size).toBe(100);
  });

  test('forgets the least recently seen key first', () => {
    const store = new MemoryRateLimitStore({ maxKeys: 2 });
    const rule = RateLimitConfig.tokenBucket({ requests: 1, window: 60 });

    store.hit('a', rule, 0);
    store.hit('b', rule, 0);
    expect(store.hit('a', rule, 0).allowed).toBe(false); // 'a' is now the most recent
    store.hit('c', rule, 0); // evicts 'b'

    expect(store.hit('a', rule, 0).allowed).toBe(false);
    expect(store.size).toBe(2);
  });

  test('keeps no timers, however many hits', async () => {
    fakeClock(T0);
    const app = new App({ logger: false });
    app.get('/items', () => ({ ok: true }));
    app.enableRateLimit(RateLimitConfig.slidingWindow({ requests: 5, window: 60 }));

    for (let i = 0; i < 200; i++) await app.inject({ method: 'GET', url: '/items', remoteAddress: `10.0.${i % 250}.${i % 7}` });

    expect(jest.getTimerCount()).toBe(0);
    await app.close();
  });

  test('rejects a maxKeys that is not a positive integer', () => {
    expect(() => new MemoryRateLimitStore({ maxKeys: 0 })).toThrow(expect.objectContaining({ code: 'CELLO_ERR_RATE_LIMIT_CONFIG' }));
  });
});

describe('RateLimitConfig', () => {
  test.each([
    [{ requests: 0, window: 60 }],
    [{ requests: 1.5, window: 60 }],
    [{ requests: 10, window: 0 }],
    [{ requests: 10, window: Infinity }],
  ])('rejects %j', (options) => {
    expect(() => RateLimitConfig.tokenBucket(options)).toThrow(expect.objectContaining({ code: 'CELLO_ERR_RATE_LIMIT_CONFIG' }));
    expect(() => RateLimitConfig.slidingWindow(options)).toThrow(expect.objectContaining({ code: 'CELLO_ERR_RATE_LIMIT_CONFIG' }));
  });

  test('enableRateLimit() rejects what is not a rule', () => {
    const app = new App({ logger: false });

    expect(() => app.enableRateLimit({ requests: 1, window: 1 } as unknown as RateLimitRule)).toThrow(expect.objectContaining({ code: 'CELLO_ERR_RATE_LIMIT_CONFIG' }));
  });
});
