import http from 'node:http';
import {
  App, BackgroundTasks, Controller, Depends, Get, HttpError, Param, RateLimitConfig, RequestContext,
} from '@cello/core';
import { CacheFastPath } from '../src/cache/fast-path';
import { gate } from './helpers/gate';
import { histogram, parseMetrics, valueOf } from './helpers/prometheus';

function makeApp(): App {
  return new App({ logger: false, handleSignals: false });
}

async function scrape(app: App, path = '/metrics') {
  const res = await app.inject(path);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseMetrics(res.body);
}

describe('app.enablePrometheus()', () => {
  test('counts requests and their duration by method, route pattern and status', async () => {
    @Controller('/users')
    class Users {
      @Get('/:id')
      get(@Param('id') id: string) {
        if (id === 'missing') throw HttpError.notFound('no such user');
        return { id };
      }
    }
    const app = new App({ controllers: [Users], logger: false, handleSignals: false });
    app.enablePrometheus();
    await app.inject('/users/1');
    await app.inject('/users/2');
    await app.inject('/users/missing');
    const metrics = await scrape(app);

    expect(metrics.get('cello_http_requests_total')!.type).toBe('COUNTER');
    expect(valueOf(metrics, 'cello_http_requests_total', { method: 'GET', route: '/users/:id', status: '200' })).toBe(2);
    expect(valueOf(metrics, 'cello_http_requests_total', { method: 'GET', route: '/users/:id', status: '404' })).toBe(1);
    expect(metrics.get('cello_http_request_duration_seconds')!.type).toBe('HISTOGRAM');
    const duration = histogram(metrics, 'cello_http_request_duration_seconds', { method: 'GET', route: '/users/:id', status: '200' })!;
    expect(duration.count).toBe(2);
    expect(duration.buckets['+Inf']).toBe(2);
    expect(Object.keys(duration.buckets).sort()).toEqual(['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'].sort());
    expect(duration.sum).toBeGreaterThan(0);
    expect(histogram(metrics, 'cello_http_request_duration_seconds', { status: '404' })!.count).toBe(1);
    await app.close();
  });

  test('1,000 distinct URLs of one route add no series: the label is the route pattern', async () => {
    const app = makeApp();
    app.get('/items/:id', (id: string) => ({ id }));
    app.enablePrometheus();
    for (let i = 0; i < 1000; i++) await app.inject(`/items/${i}?page=${i}`);
    for (let i = 0; i < 20; i++) await app.inject(`/nowhere/${i}`);
    const metrics = await scrape(app);

    const series = metrics.get('cello_http_requests_total')!.metrics;
    expect(series.filter((m) => m.labels!.route === '/items/:id')).toEqual([
      { labels: { method: 'GET', route: '/items/:id', status: '200' }, value: '1000' },
    ]);
    // Unmatched requests share one fixed label.
    expect(valueOf(metrics, 'cello_http_requests_total', { route: 'unmatched', status: '404' })).toBe(20);
    const routes = new Set(series.map((m) => m.labels!.route));
    expect([...routes].sort()).toEqual(['/items/:id', 'unmatched']);
    expect(metrics.get('cello_http_request_duration_seconds_count')!.metrics.map((m) => m.labels!.route).sort()).toEqual(['/items/:id', 'unmatched']);
    await app.close();
  });

  test('422 and 500 answers are counted by status', async () => {
    @Controller('/n')
    class Numbers {
      @Get('/:n')
      get(@Param('n') n: number) { return { n }; }
    }
    const app = new App({ controllers: [Numbers], logger: false, handleSignals: false });
    app.get('/boom', () => { throw new Error('kaput'); });
    app.enablePrometheus();
    await app.inject('/n/abc');
    await app.inject('/boom');
    const metrics = await scrape(app);
    expect(valueOf(metrics, 'cello_http_requests_total', { route: '/n/:n', status: '422' })).toBe(1);
    expect(valueOf(metrics, 'cello_http_requests_total', { route: '/boom', status: '500' })).toBe(1);
    await app.close();
  });

  test('rate-limit rejections are counted, and so are the 429s', async () => {
    const app = makeApp();
    app.get('/limited', () => 'ok');
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 2, window: 60 }));
    app.enablePrometheus();
    for (let i = 0; i < 5; i++) await app.inject('/limited');
    const metrics = await scrape(app);
    expect(valueOf(metrics, 'cello_rate_limit_rejections_total', { method: 'GET', route: '/limited' })).toBe(3);
    expect(valueOf(metrics, 'cello_http_requests_total', { route: '/limited', status: '429' })).toBe(3);
    expect(valueOf(metrics, 'cello_http_requests_total', { route: '/limited', status: '200' })).toBe(2);
    // The metrics route itself is not rate limited.
    for (let i = 0; i < 3; i++) expect((await app.inject('/metrics')).statusCode).toBe(200);
    await app.close();
  });

  test('cache hits and misses are counted, including hits answered before fastify runs', async () => {
    const app = makeApp();
    app.get('/cached', () => ({ at: 1 }), { cache: { ttl: 60 } });
    app.enablePrometheus();
    // Over a real socket: there, hits on this route are answered by the cache's fast path.
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const fast = jest.spyOn(CacheFastPath.prototype, 'tryServe');
    for (let i = 0; i < 3; i++) expect((await fetch(`${url}/cached`)).headers.has('age')).toBe(i > 0);
    // The two hits never reached fastify, whose hooks count the other requests.
    expect(fast.mock.results.filter((r) => r.value === true)).toHaveLength(2);
    fast.mockRestore();
    const metrics = parseMetrics(await (await fetch(`${url}/metrics`)).text());
    expect(valueOf(metrics, 'cello_cache_misses_total', { route: '/cached' })).toBe(1);
    expect(valueOf(metrics, 'cello_cache_hits_total', { route: '/cached' })).toBe(2);
    expect(valueOf(metrics, 'cello_http_requests_total', { method: 'GET', route: '/cached', status: '200' })).toBe(3);
    await app.close();
  });

  test('failed background tasks and dependency cleanups are counted', async () => {
    const tasksDone = gate();
    async function* session() {
      yield 'session';
      throw new Error('commit failed');
    }
    @Controller('/work')
    class Work {
      @Get('/')
      run(@Depends(session) s: string, tasks: BackgroundTasks) {
        tasks.add(() => { throw new Error('mail server down'); });
        tasks.add(() => tasksDone.open());
        return { s };
      }
    }
    const app = new App({ controllers: [Work], logger: false, handleSignals: false });
    app.enablePrometheus();
    expect((await app.inject('/work')).statusCode).toBe(200);
    await tasksDone.promise;
    const metrics = await scrape(app);
    expect(valueOf(metrics, 'cello_background_task_failures_total', { route: '/work' })).toBe(1);
    expect(valueOf(metrics, 'cello_dependency_cleanup_failures_total', { route: '/work' })).toBe(1);
    await app.close();
  });

  test('requests in flight, event-loop delay and Node process metrics', async () => {
    const held = gate();
    const started = gate();
    const app = makeApp();
    app.get('/slow', async () => { started.open(); await held.promise; return 'done'; });
    app.enablePrometheus();
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const slow = fetch(`${url}/slow`);
    await started.promise;
    let metrics = parseMetrics(await (await fetch(`${url}/metrics`)).text());
    // The slow request and the scrape itself.
    expect(valueOf(metrics, 'cello_http_requests_in_flight')).toBe(2);
    held.open();
    await (await slow).text();
    metrics = parseMetrics(await (await fetch(`${url}/metrics`)).text());
    expect(valueOf(metrics, 'cello_http_requests_in_flight')).toBe(1);
    expect(metrics.get('nodejs_eventloop_lag_p99_seconds')!.type).toBe('GAUGE');
    expect(metrics.has('process_cpu_seconds_total')).toBe(true);
    expect(metrics.has('nodejs_heap_size_used_bytes')).toBe(true);
    await app.close();
  });

  test('a request whose client went away is no longer in flight', async () => {
    const held = gate();
    const started = gate();
    const app = makeApp();
    app.get('/slow', async () => { started.open(); await held.promise; return 'done'; });
    app.enablePrometheus({ defaultMetrics: false });
    const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    const req = http.get({ host: url.hostname, port: url.port, path: '/slow' });
    req.on('error', () => undefined);
    await started.promise;
    req.destroy();
    let metrics = parseMetrics(await (await fetch(`${url.origin}/metrics`)).text());
    for (let i = 0; i < 100 && valueOf(metrics, 'cello_http_requests_in_flight') !== 1; i++) {
      await new Promise((r) => setTimeout(r, 20));
      metrics = parseMetrics(await (await fetch(`${url.origin}/metrics`)).text());
    }
    // Only the scrape itself.
    expect(valueOf(metrics, 'cello_http_requests_in_flight')).toBe(1);
    held.open();
    await app.close();
  });

  test('two apps in one process keep their own counts', async () => {
    const a = makeApp();
    const b = makeApp();
    for (const app of [a, b]) {
      app.get('/x', () => 'x');
      app.enablePrometheus({ labels: { service: app === a ? 'a' : 'b' } });
    }
    await a.inject('/x');
    await a.inject('/x');
    await b.inject('/x');
    expect(valueOf(await scrape(a), 'cello_http_requests_total', { route: '/x', service: 'a' })).toBe(2);
    expect(valueOf(await scrape(b), 'cello_http_requests_total', { route: '/x', service: 'b' })).toBe(1);
    await a.close();
    await b.close();
  });

  test('a custom path, and bad options stop at once', async () => {
    const app = makeApp();
    app.enablePrometheus({ path: '/internal/metrics', defaultMetrics: false });
    const metrics = await scrape(app, '/internal/metrics');
    expect(metrics.has('process_cpu_seconds_total')).toBe(false);
    expect((await app.inject('/metrics')).statusCode).toBe(404);
    expect(app.routes().find((r) => r.path === '/internal/metrics')!.options.includeInDocs).toBe(false);
    await app.close();
    expect(() => makeApp().enablePrometheus({ buckets: [1, 0.5] })).toThrow(expect.objectContaining({ code: 'CELLO_ERR_METRICS_CONFIG' }));
    expect(() => makeApp().enablePrometheus({ path: 'metrics' })).toThrow(expect.objectContaining({ code: 'CELLO_ERR_METRICS_CONFIG' }));
  });
});

void RequestContext;
