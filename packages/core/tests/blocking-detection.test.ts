import { App, CelloError, Controller, Depends, Get, Guards, Request, type Guard } from '@cello/core';
import { logSink } from './helpers/gate';
import { histogram, parseMetrics } from './helpers/prometheus';

// Holds the thread for `ms`: what a CPU-bound handler does to everyone else.
function spin(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

const blocked = (lines: Array<Record<string, any>>) => lines.filter((l) => l.code === 'CELLO_ERR_EVENT_LOOP_BLOCKED');

// Thresholds are configuration here, not measurements: each slow stage spins for twice its
// threshold, and the stages that should stay quiet are far under it even on a loaded machine.

describe('app.enableBlockingDetection()', () => {
  let app: App;
  let sink: ReturnType<typeof logSink>;
  beforeEach(() => {
    sink = logSink();
  });
  afterEach(async () => {
    await app?.close();
  });

  test('a handler over the threshold logs one warning naming the route, the stage and the time; again within a minute, none', async () => {
    app = new App({ logger: { level: 'warn', stream: sink.stream } });
    app.enableBlockingDetection({ thresholdMs: 20 });
    app.get('/report', () => { spin(40); return { ok: true }; });

    expect((await app.inject('/report')).statusCode).toBe(200);
    const [warning, ...rest] = blocked(sink.lines);
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ level: 40, route: 'GET /report', stage: 'handler', thresholdMs: 20 });
    expect(warning!.ms).toBeGreaterThan(20);
    expect(warning!.msg).toContain('GET /report blocked the event loop');
    expect(warning!.msg).toContain('@Offload()');

    await app.inject('/report');
    expect(blocked(sink.lines)).toHaveLength(1);
  });

  test('the next warning after the quiet period counts the ones left out', async () => {
    app = new App({ logger: { level: 'warn', stream: sink.stream } });
    app.enableBlockingDetection({ thresholdMs: 20, warnEvery: 0.5 });
    app.get('/report', () => { spin(40); return 'ok'; });
    await app.inject('/report');
    await app.inject('/report');
    await new Promise((resolve) => setTimeout(resolve, 600));
    await app.inject('/report');
    const warnings = blocked(sink.lines);
    expect(warnings.map((w) => w.suppressed)).toEqual([0, 1]);
    expect(warnings[1]!.msg).toContain('1 more since the last warning');
  });

  test('guards and dependencies are stages of their own; an async handler is timed up to its first await', async () => {
    class SlowGuard implements Guard {
      canActivate() { spin(40); return true; }
    }
    function loadProfile() { spin(40); return { name: 'ada' }; }
    @Controller('/profile')
    class Profile {
      @Get('/')
      @Guards(SlowGuard)
      async get(@Depends(loadProfile) profile: { name: string }) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        spin(40); // after the first await: another stretch, not the handler's own
        return profile;
      }
    }
    app = new App({ logger: { level: 'warn', stream: sink.stream }, controllers: [Profile] });
    app.enableBlockingDetection({ thresholdMs: 20 });
    expect((await app.inject('/profile')).json()).toEqual({ name: 'ada' });
    expect(blocked(sink.lines).map((w) => `${w.route} ${w.stage}`)).toEqual(['GET /profile guard SlowGuard', 'GET /profile dependency loadProfile']);
  });

  test('on by default outside production, at 50 ms', async () => {
    app = new App({ logger: { level: 'warn', stream: sink.stream } });
    app.get('/slow', (req: Request) => { spin(100); return req.id; });
    await app.inject('/slow');
    expect(blocked(sink.lines)).toMatchObject([{ route: 'GET /slow', stage: 'handler', thresholdMs: 50 }]);
  });

  test('off by default with NODE_ENV=production, and off with enableBlockingDetection(false)', async () => {
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      app = new App({ logger: { level: 'warn', stream: sink.stream } });
    } finally {
      process.env.NODE_ENV = env;
    }
    app.get('/slow', () => { spin(60); return 'done'; });
    await app.inject('/slow');
    await app.close();

    app = new App({ logger: { level: 'warn', stream: sink.stream } });
    app.enableBlockingDetection(false);
    app.get('/slow', () => { spin(60); return 'done'; });
    await app.inject('/slow');
    expect(blocked(sink.lines)).toEqual([]);
  });

  test('with the request context on, the warning carries the request id', async () => {
    app = new App({ requestContext: true, logger: { level: 'warn', stream: sink.stream } });
    app.enableBlockingDetection({ thresholdMs: 20 });
    app.get('/slow', (req: Request) => { spin(40); return { id: req.id }; });
    const { id } = (await app.inject('/slow')).json();
    expect(blocked(sink.lines)).toMatchObject([{ reqId: id, stage: 'handler' }]);
  });

  test('a threshold that is not a positive number is refused', () => {
    app = new App({ logger: false });
    expect(() => app.enableBlockingDetection({ thresholdMs: 0 })).toThrow(CelloError);
    expect(() => app.enableBlockingDetection({ thresholdMs: 0 })).toThrow(/CELLO_ERR_BLOCKING_CONFIG|thresholdMs must be a positive/);
  });
});

describe('blocking detection with Prometheus', () => {
  test('each stretch over the threshold is observed in cello_event_loop_blocked_seconds by route and stage, warned or not', async () => {
    const app = new App({ logger: false, handleSignals: false });
    app.enableBlockingDetection({ thresholdMs: 20 });
    app.enablePrometheus();
    app.get('/report', () => { spin(40); return { ok: true }; });
    app.get('/quick', () => ({ ok: true }));
    await app.inject('/report');
    await app.inject('/report'); // its warning is rate-limited; the metric still counts it
    await app.inject('/quick');

    const metrics = parseMetrics((await app.inject('/metrics')).body);
    expect(metrics.get('cello_event_loop_blocked_seconds')!.type).toBe('HISTOGRAM');
    const report = histogram(metrics, 'cello_event_loop_blocked_seconds', { method: 'GET', route: '/report', stage: 'handler' })!;
    expect(report.count).toBe(2);
    expect(report.sum).toBeGreaterThan(0.04);
    expect(histogram(metrics, 'cello_event_loop_blocked_seconds', { route: '/quick' })).toBeUndefined();
    await app.close();
  });
});
