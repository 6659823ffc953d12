import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import {
  App, Controller, Depends, Get, Guards, HttpError, Param, RequestContext, type Guard,
} from '@cello/core';
import { logSink } from './helpers/gate';

class ApiKeyGuard implements Guard {
  canActivate(ctx: RequestContext) {
    return ctx.request.header('x-api-key') === 'secret';
  }
}

async function currentUser(ctx: RequestContext) {
  await new Promise((r) => setImmediate(r));
  return { name: ctx.request.header('x-user') ?? 'anonymous' };
}

@Controller('/orders')
class Orders {
  @Get('/:id')
  @Guards(ApiKeyGuard)
  async get(@Param('id') id: string, @Depends(currentUser) user: { name: string }) {
    // A span the handler's own code starts (an instrumented database client would do this).
    trace.getTracer('test').startSpan('db query').end();
    if (id === 'broken') throw new Error('database gone');
    if (id === 'missing') throw HttpError.notFound('no such order');
    return { id, by: user.name };
  }
}

const incoming = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('app.enableTracing() without an SDK', () => {
  test('records nothing, adds no header and changes no answer', async () => {
    const app = new App({ controllers: [Orders], logger: false, handleSignals: false });
    app.enableTracing();
    const ok = await app.inject({ url: '/orders/7', headers: { 'x-api-key': 'secret', traceparent: incoming } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.traceparent).toBeUndefined();
    const denied = await app.inject('/orders/7');
    expect(denied.json().message).toBe('Access denied by ApiKeyGuard');
    await app.close();
  });
});

describe('app.enableTracing() with an SDK registered', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager();

  beforeAll(() => {
    // What an application's tracing setup (e.g. the NodeSDK) does before the app starts.
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
  });
  afterEach(() => exporter.reset());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  function makeApp(options: ConstructorParameters<typeof App>[0] = {}): App {
    const app = new App({ controllers: [Orders], logger: false, handleSignals: false, ...options });
    app.enableTracing();
    return app;
  }

  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  const named = (name: string): ReadableSpan => {
    const span = spans().find((s) => s.name === name);
    if (span === undefined) throw new Error(`no span ${name}; got ${spans().map((s) => s.name).join(', ')}`);
    return span;
  };

  test('a SERVER span named by the route pattern continues the incoming traceparent', async () => {
    const app = makeApp();
    const res = await app.inject({ url: '/orders/42?x=1', headers: { 'x-api-key': 'secret', traceparent: incoming, 'user-agent': 'curl/8' } });
    expect(res.statusCode).toBe(200);

    const server = named('GET /orders/:id');
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(server.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/orders/:id',
      'url.path': '/orders/42',
      'url.scheme': 'http',
      'http.response.status_code': 200,
      'user_agent.original': 'curl/8',
    });
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
    // The answer carries the server span's context, so the caller can find this trace.
    expect(res.headers.traceparent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${server.spanContext().spanId}-01`);
    await app.close();
  });

  test('guards, dependencies and the handler are child spans; the handler\'s own spans are its children', async () => {
    const app = makeApp();
    await app.inject({ url: '/orders/42', headers: { 'x-api-key': 'secret' } });
    const server = named('GET /orders/:id');
    const id = server.spanContext().spanId;
    const guard = named('guard ApiKeyGuard');
    const dependency = named('dependency currentUser');
    const handler = named('handler Orders.get');
    for (const child of [guard, dependency, handler]) {
      expect(child.parentSpanContext?.spanId).toBe(id);
      expect(child.spanContext().traceId).toBe(server.spanContext().traceId);
    }
    expect(named('db query').parentSpanContext?.spanId).toBe(handler.spanContext().spanId);
    // A fresh trace when no traceparent came in.
    expect(server.parentSpanContext).toBeUndefined();
    await app.close();
  });

  test('a 5xx sets the error status and records the exception; a 4xx does not', async () => {
    const app = makeApp();
    expect((await app.inject({ url: '/orders/broken', headers: { 'x-api-key': 'secret' } })).statusCode).toBe(500);
    const server = named('GET /orders/:id');
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    expect(server.attributes['http.response.status_code']).toBe(500);
    expect(server.attributes['error.type']).toBe('500');
    expect(server.events.find((e) => e.name === 'exception')?.attributes?.['exception.message']).toBe('database gone');
    const handler = named('handler Orders.get');
    expect(handler.status.code).toBe(SpanStatusCode.ERROR);
    expect(handler.events.map((e) => e.name)).toEqual(['exception']);

    exporter.reset();
    expect((await app.inject({ url: '/orders/missing', headers: { 'x-api-key': 'secret' } })).statusCode).toBe(404);
    expect(named('GET /orders/:id').status.code).toBe(SpanStatusCode.UNSET);
    expect(named('GET /orders/:id').attributes['http.response.status_code']).toBe(404);

    exporter.reset();
    const denied = await app.inject('/orders/1');
    expect(denied.statusCode).toBe(403);
    // The traced guard is still the guard: its class names the refusal.
    expect(denied.json().message).toBe('Access denied by ApiKeyGuard');
    expect(named('GET /orders/:id').attributes['http.response.status_code']).toBe(403);
    expect(spans().some((s) => s.name === 'handler Orders.get')).toBe(false);
    await app.close();
  });

  test('a request matching no route gets a span named by its method alone', async () => {
    const app = makeApp();
    expect((await app.inject('/nowhere/123')).statusCode).toBe(404);
    const server = named('GET');
    expect(server.attributes['http.route']).toBeUndefined();
    expect(server.attributes['http.response.status_code']).toBe(404);
    await app.close();
  });

  test('the request\'s log lines carry the trace id', async () => {
    const sink = logSink();
    @Controller('/logged')
    class Logged {
      @Get('/')
      run(ctx: RequestContext) {
        ctx.request.raw.log.info('working');
        return 'ok';
      }
    }
    const app = new App({ controllers: [Logged], logger: pino({ level: 'info' }, sink.stream) as never, handleSignals: false });
    app.enableTracing();
    await app.inject({ url: '/logged', headers: { traceparent: incoming } });
    const line = sink.lines.find((l) => l.msg === 'working')!;
    expect(line.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(line.spanId).toBe(named('GET /logged').spanContext().spanId);
    await app.close();
  });

  test('with requestContext on, app.log lines inside a request carry the trace id too', async () => {
    const sink = logSink();
    const app = new App({ requestContext: true, logger: { level: 'info', stream: sink.stream }, handleSignals: false });
    app.enableTracing();
    app.enableLogging();
    app.get('/report', async () => {
      await new Promise((r) => setImmediate(r));
      app.log.info('building the report');
      return 'ok';
    });
    await app.inject({ url: '/report', headers: { traceparent: incoming } });
    app.log.info('outside any request');

    const inside = sink.lines.find((l) => l.msg === 'building the report')!;
    expect(inside.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(inside.spanId).toBe(named('GET /report').spanContext().spanId);
    expect(inside.reqId).toEqual(expect.any(String));
    const outside = sink.lines.find((l) => l.msg === 'outside any request')!;
    expect(outside.traceId).toBeUndefined();
    // The request's own logger has them bound once, not twice.
    const access = sink.lines.filter((l) => l.reqId === inside.reqId && l.msg !== 'building the report');
    expect(access.length).toBeGreaterThan(0);
    for (const line of access) expect(JSON.stringify(line).match(/"traceId"/g) ?? []).toHaveLength(1);
    await app.close();
  });

  test('an explicit tracerProvider is used instead of the global one', async () => {
    const own = new InMemorySpanExporter();
    const ownProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(own)] });
    const app = new App({ logger: false, handleSignals: false });
    app.get('/ping', () => 'pong');
    app.enableTracing({ tracerProvider: ownProvider, responseHeader: false });
    const res = await app.inject('/ping');
    expect(res.headers.traceparent).toBeUndefined();
    expect(own.getFinishedSpans().map((s) => s.name)).toContain('GET /ping');
    expect(spans()).toEqual([]);
    await app.close();
    await ownProvider.shutdown();
  });
});
