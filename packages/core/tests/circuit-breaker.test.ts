import { App, CircuitBreaker, Controller, Get, HttpError, SkipCircuitBreaker, type CircuitBreakerOptions } from '@cello/core';
import { gate, logSink, until } from './helpers/gate';

/** A clock the test moves by hand. */
function fakeClock(): { now: () => number; advance: (seconds: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (seconds) => { t += seconds * 1000; } };
}

/** An upstream the test switches between failing and working; counts the handler's calls. */
function flakyApp(options: CircuitBreakerOptions, logger: ConstructorParameters<typeof App>[0] = { logger: false }) {
  const app = new App(logger);
  const upstream = { failing: true, calls: 0 };
  app.get('/quotes', () => {
    upstream.calls++;
    if (upstream.failing) throw new Error('upstream down');
    return { quotes: [] };
  });
  app.get('/other', () => { throw new Error('also down'); });
  app.enableCircuitBreaker(options);
  return { app, upstream };
}

describe('enableCircuitBreaker()', () => {
  test('closed -> open after failureThreshold consecutive 5xx: 503 in the JSON error shape with Retry-After, handler not called', async () => {
    const clock = fakeClock();
    const { app, upstream } = flakyApp({ failureThreshold: 3, resetTimeout: 30, now: clock.now });
    for (let i = 0; i < 3; i++) expect((await app.inject('/quotes')).statusCode).toBe(500);
    expect(upstream.calls).toBe(3);

    const refused = await app.inject('/quotes');
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(refused.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'This route failed repeatedly and is paused; retry in 30 seconds',
      code: 'CELLO_ERR_BREAKER_OPEN',
    });
    expect(upstream.calls).toBe(3);
    clock.advance(12.5);
    expect((await app.inject('/quotes')).headers['retry-after']).toBe('18');
    await app.close();
  });

  test('only consecutive failures count: a success in between starts the count again', async () => {
    const clock = fakeClock();
    const { app, upstream } = flakyApp({ failureThreshold: 2, now: clock.now });
    await app.inject('/quotes');
    upstream.failing = false;
    await app.inject('/quotes');
    upstream.failing = true;
    await app.inject('/quotes');
    expect((await app.inject('/quotes')).statusCode).toBe(500);
    expect((await app.inject('/quotes')).statusCode).toBe(503);
    await app.close();
  });

  test('open -> half-open after resetTimeout; a successful probe closes it', async () => {
    const clock = fakeClock();
    const { app, upstream } = flakyApp({ failureThreshold: 1, resetTimeout: 10, now: clock.now });
    await app.inject('/quotes');
    expect((await app.inject('/quotes')).statusCode).toBe(503);
    clock.advance(10);
    upstream.failing = false;
    expect((await app.inject('/quotes')).statusCode).toBe(200);
    expect((await app.inject('/quotes')).statusCode).toBe(200);
    expect(upstream.calls).toBe(3);
    await app.close();
  });

  test('a failing probe opens it again for another resetTimeout', async () => {
    const clock = fakeClock();
    const { app, upstream } = flakyApp({ failureThreshold: 1, resetTimeout: 10, now: clock.now });
    await app.inject('/quotes');
    clock.advance(10);
    expect((await app.inject('/quotes')).statusCode).toBe(500);
    expect(upstream.calls).toBe(2);
    const refused = await app.inject('/quotes');
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('10');
    clock.advance(9);
    expect((await app.inject('/quotes')).statusCode).toBe(503);
    clock.advance(1);
    upstream.failing = false;
    expect((await app.inject('/quotes')).statusCode).toBe(200);
    await app.close();
  });

  test('half-open lets halfOpenRequests probes through at once; the rest get 503 until one answers', async () => {
    const clock = fakeClock();
    const app = new App({ logger: false });
    const release = gate();
    let failing = true;
    let running = 0;
    app.get('/slow', async () => {
      if (failing) throw new HttpError(502, 'bad gateway');
      running++;
      await release.promise;
      return 'ok';
    });
    app.enableCircuitBreaker({ failureThreshold: 1, resetTimeout: 5, halfOpenRequests: 2, now: clock.now });
    expect((await app.inject('/slow')).statusCode).toBe(502);
    clock.advance(5);
    failing = false;
    const probes = [app.inject('/slow'), app.inject('/slow')];
    await until(() => running === 2);
    const third = await app.inject('/slow');
    expect(third.statusCode).toBe(503);
    expect(third.headers['retry-after']).toBe('1');
    release.open();
    expect((await Promise.all(probes)).map((r) => r.statusCode)).toEqual([200, 200]);
    expect((await app.inject('/slow')).statusCode).toBe(200);
    await app.close();
  });

  test('each route has its own breaker; 4xx answers are not failures', async () => {
    const clock = fakeClock();
    const { app } = flakyApp({ failureThreshold: 1, now: clock.now });
    app.get('/missing', () => { throw HttpError.notFound('nope'); });
    await app.inject('/other');
    expect((await app.inject('/other')).statusCode).toBe(503);
    expect((await app.inject('/quotes')).statusCode).toBe(500);
    for (let i = 0; i < 3; i++) expect((await app.inject('/missing')).statusCode).toBe(404);
    await app.close();
  });

  test("fastify's handlerTimeout 503 counts as a failure", async () => {
    const clock = fakeClock();
    const app = new App({ logger: false, fastify: { handlerTimeout: 20 } });
    let calls = 0;
    app.get('/hang', () => { calls++; return new Promise((r) => setTimeout(r, 200)); });
    app.enableCircuitBreaker({ failureThreshold: 1, now: clock.now });
    expect((await app.inject('/hang')).statusCode).toBe(503);
    const refused = await app.inject('/hang');
    expect(refused.json().code).toBe('CELLO_ERR_BREAKER_OPEN');
    expect(calls).toBe(1);
    await app.close();
  });

  test('opening is logged once with the route', async () => {
    const sink = logSink();
    const clock = fakeClock();
    const { app } = flakyApp({ failureThreshold: 2, now: clock.now }, { logger: { level: 'warn', stream: sink.stream } });
    for (let i = 0; i < 5; i++) await app.inject('/quotes');
    const opened = sink.lines.filter((l) => l.code === 'CELLO_ERR_BREAKER_OPEN');
    expect(opened.map((l) => l.route)).toEqual(['GET /quotes']);
    await app.close();
  });
});

describe('@CircuitBreaker() and @SkipCircuitBreaker()', () => {
  const clock = fakeClock();
  let failing = true;

  @Controller('/api')
  class ApiController {
    @Get('/strict')
    @CircuitBreaker({ failureThreshold: 1, now: clock.now })
    strict() { if (failing) throw new Error('down'); return 'ok'; }

    @Get('/free')
    @SkipCircuitBreaker()
    free() { throw new Error('down'); }

    @Get('/default')
    byDefault() { throw new Error('down'); }
  }

  test('a route breaker works without enableCircuitBreaker(), and its settings override the app ones', async () => {
    failing = true;
    const app = new App({ controllers: [ApiController], logger: false });
    expect((await app.inject('/api/strict')).statusCode).toBe(500);
    expect((await app.inject('/api/strict')).statusCode).toBe(503);
    // No app-wide breaker: other routes have none.
    for (let i = 0; i < 6; i++) expect((await app.inject('/api/default')).statusCode).toBe(500);
    await app.close();
  });

  test('with an app breaker: @SkipCircuitBreaker opts out, the route option overrides, undecorated routes get the app one', async () => {
    failing = true;
    const app = new App({ controllers: [ApiController], logger: false });
    app.get('/fn', () => { throw new Error('down'); }, { circuitBreaker: { failureThreshold: 3 } });
    app.enableCircuitBreaker({ failureThreshold: 2, now: clock.now });
    for (let i = 0; i < 4; i++) expect((await app.inject('/api/free')).statusCode).toBe(500);
    expect((await app.inject('/api/strict')).statusCode).toBe(500);
    expect((await app.inject('/api/strict')).statusCode).toBe(503);
    expect([await app.inject('/api/default'), await app.inject('/api/default'), await app.inject('/api/default')].map((r) => r.statusCode)).toEqual([500, 500, 503]);
    const fn = [];
    for (let i = 0; i < 4; i++) fn.push((await app.inject('/fn')).statusCode);
    expect(fn).toEqual([500, 500, 500, 503]);
    // The route row says what it has.
    expect(app.routes().find((r) => r.path === '/api/free')!.circuitBreaker).toBe(false);
    await app.close();
  });

  test('bad settings are a CelloError naming where', () => {
    expect(() => CircuitBreaker({ failureThreshold: 0 })).toThrow(expect.objectContaining({ code: 'CELLO_ERR_BREAKER_CONFIG', message: '@CircuitBreaker(): failureThreshold must be a positive integer, got 0.' }));
    const app = new App({ logger: false });
    expect(() => app.enableCircuitBreaker({ resetTimeout: -1 })).toThrow(expect.objectContaining({ code: 'CELLO_ERR_BREAKER_CONFIG', message: 'enableCircuitBreaker(): resetTimeout must be a positive number of seconds, got -1.' }));
  });
});

describe('RouteBreaker (the state machine)', () => {
  // Imported from its own file: a probe whose client went away is hard to stage through inject().
  const { RouteBreaker, PASS, PROBE } = jest.requireActual('../src/breaker/route-breaker') as typeof import('../src/breaker/route-breaker');
  const { breakerSettings, breakerDefaults } = jest.requireActual('../src/breaker/breaker-options') as typeof import('../src/breaker/breaker-options');

  test('a probe whose client went away frees its place and decides nothing', () => {
    const clock = fakeClock();
    const breaker = new RouteBreaker(breakerSettings({ failureThreshold: 1, resetTimeout: 1, now: clock.now }, breakerDefaults, 'test'));
    expect(breaker.admit()).toBe(PASS);
    breaker.ended(true);
    clock.advance(1);
    expect(breaker.admit()).toBe(PROBE);
    expect(breaker.admit()).toBe(1);
    breaker.probeEnded(breaker.period, 'aborted');
    expect(breaker.state).toBe('half-open');
    expect(breaker.admit()).toBe(PROBE);
    breaker.probeEnded(breaker.period, 'success');
    expect(breaker.state).toBe('closed');
  });

  test('answers to calls let in before the breaker opened do not count', () => {
    const clock = fakeClock();
    const breaker = new RouteBreaker(breakerSettings({ failureThreshold: 1, now: clock.now }, breakerDefaults, 'test'));
    breaker.admit();
    breaker.admit();
    expect(breaker.ended(true)).toBe(true);
    expect(breaker.ended(false)).toBe(false);
    expect(breaker.state).toBe('open');
  });
});
