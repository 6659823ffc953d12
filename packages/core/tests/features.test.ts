import diagnostics from 'node:diagnostics_channel';
import {
  App, Cache, Controller, Get, MemoryCacheStore, RateLimit, RateLimitConfig,
  type CacheEntry, type Feature, type RateLimitDecision, type RateLimitRule, type RateLimitStore,
} from '@cello/core';

// A memory store that records the keys it is asked for.
class RecordingStore implements RateLimitStore {
  readonly keys: string[] = [];
  closed = 0;
  hit(key: string, rule: RateLimitRule): RateLimitDecision {
    this.keys.push(key);
    return { allowed: true, limit: rule.requests, remaining: rule.requests - 1, reset: rule.window, retryAfter: 0 };
  }
  close() { this.closed++; }
}

describe('features: one ordered registry', () => {
  test('a feature added with app.enable() gets its hooks in order, onStart, onUnmatched and onClose', async () => {
    const events: string[] = [];
    const feature = (name: string, order: number): Feature => ({
      name,
      order,
      forRoute: (route) => (route.path === '/skip' ? null : {
        onRequest: (_req, reply, done) => { events.push(`${name} hook`); reply.header(`x-${name}`, '1'); done(); },
      }),
      onUnmatched: (_req, reply) => { reply.header(`x-${name}`, 'unmatched'); },
      onStart: () => { events.push(`${name} start`); },
      onClose: () => { events.push(`${name} close`); },
    });
    const app = new App({ logger: false, handleSignals: false });
    app.enable(feature('late', 100)).enable(feature('early', 1));
    app.get('/x', () => ({ ok: true }));
    app.get('/skip', () => ({ ok: true }));

    const res = await app.inject('/x');
    expect(res.headers['x-early']).toBe('1');
    expect(res.headers['x-late']).toBe('1');
    expect((await app.inject('/skip')).headers['x-early']).toBeUndefined();
    expect((await app.inject('/nowhere')).headers['x-late']).toBe('unmatched');
    await app.close();
    expect(events).toEqual(['early start', 'late start', 'early hook', 'late hook', 'late close', 'early close']);
  });

  test('app.close() closes the rate-limit and cache stores', async () => {
    const limits = new RecordingStore();
    let cacheClosed = 0;
    class ClosingCacheStore extends MemoryCacheStore { close() { cacheClosed++; } }
    const app = new App({ logger: false, handleSignals: false });
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 5, window: 60 }), { store: limits });
    app.enableCache({ store: new ClosingCacheStore() });
    app.get('/x', () => ({ ok: true }));
    expect((await app.inject('/x')).statusCode).toBe(200);
    await app.close();
    expect(limits.closed).toBe(1);
    expect(cacheClosed).toBe(1);
  });

  test('rate-limit store keys do not depend on how many rules the process made before', async () => {
    function build(store: RecordingStore): App {
      @Controller('/r')
      class LimitedController {
        @Get('/a') @RateLimit(RateLimitConfig.slidingWindow({ requests: 3, window: 10 })) a() { return 1; }
        @Get('/b') b() { return 2; }
      }
      const app = new App({ controllers: [LimitedController], logger: false, handleSignals: false });
      app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 5, window: 60 }), { store });
      return app;
    }
    const first = new RecordingStore();
    const appA = build(first);
    await appA.inject('/r/a');
    await appA.inject('/r/b');
    await appA.close();
    // Another part of the program makes rules of its own in between.
    for (let i = 0; i < 3; i++) RateLimitConfig.tokenBucket({ requests: 1, window: 1 });
    const second = new RecordingStore();
    const appB = build(second);
    await appB.inject('/r/a');
    await appB.inject('/r/b');
    await appB.close();
    expect(second.keys).toEqual(first.keys);
    expect(new Set(first.keys).size).toBe(2); // the route's own rule and the app's are kept apart
  });

  test('a hook added to fastify runs for cache hits over a real socket too', async () => {
    let handled = 0;
    let hooked = 0;
    @Controller('/cached')
    class CachedController {
      @Get('/') @Cache({ ttl: 60 }) list() { handled++; return { items: [1, 2, 3] }; }
    }
    const app = new App({ controllers: [CachedController], logger: false, handleSignals: false });
    app.fastify.addHook('onRequest', (_req, reply, done) => { hooked++; reply.header('x-audited', 'yes'); done(); });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const first = await fetch(`${url}/cached`);
      const second = await fetch(`${url}/cached`);
      expect(await second.json()).toEqual({ items: [1, 2, 3] });
      expect(first.headers.get('x-audited')).toBe('yes');
      expect(second.headers.get('x-audited')).toBe('yes');
      expect(handled).toBe(1);
      expect(hooked).toBe(2);
    } finally {
      await app.close();
    }
  });

  test('without such hooks a hit over a real socket is still answered by the fast path', async () => {
    let handled = 0;
    @Controller('/fast')
    class FastController {
      @Get('/') @Cache({ ttl: 60 }) list() { handled++; return { n: 1 }; }
    }
    const app = new App({ controllers: [FastController], logger: false, handleSignals: false });
    // fastify publishes each route handler call on this channel; the fast path answers before it.
    let fastifyHandled = 0;
    const count = () => { fastifyHandled++; };
    diagnostics.subscribe('tracing:fastify.request.handler:start', count);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await fetch(`${url}/fast`);
      const hit = await fetch(`${url}/fast`);
      expect(hit.headers.get('age')).not.toBeNull();
      expect(await hit.json()).toEqual({ n: 1 });
      expect(handled).toBe(1);
      expect(fastifyHandled).toBe(1);
    } finally {
      diagnostics.unsubscribe('tracing:fastify.request.handler:start', count);
      await app.close();
    }
  });
});

describe('route information as data', () => {
  test('app.routes() rows carry parameter kinds with schemas, part schemas and the response schema, frozen', async () => {
    const { IsInt, IsString, Min } = await import('class-validator');
    class NewItem { @IsString() name!: string; @IsInt() @Min(0) stock!: number; }
    class ItemOut { @IsString() name!: string; }
    const { Body, Param, Post, Query } = await import('@cello/core');
    @Controller('/items')
    class ItemsController {
      @Post('/{id}', { response: ItemOut })
      create(@Param('id') id: number, @Query('dry') dry: boolean, @Body() item: NewItem) { return { id, dry, ...item }; }
    }
    const app = new App({ controllers: [ItemsController], logger: false, handleSignals: false });
    const [route] = app.routes();
    expect(route!.params.map((p) => [p.kind, p.name, p.isDto])).toEqual([['param', 'id', false], ['query', 'dry', false], ['body', undefined, true]]);
    expect(route!.schemas.params).toEqual({ type: 'object', properties: { id: { type: 'number' } } });
    expect(route!.schemas.query).toEqual({ type: 'object', properties: { dry: { type: 'boolean' } } });
    expect(route!.schemas.body).toMatchObject({ type: 'object', properties: { name: { type: 'string' }, stock: { type: 'integer', minimum: 0 } } });
    expect(route!.schemas.response).toMatchObject({ properties: { name: expect.any(Object) } });
    await app.ready();
    expect(Object.isFrozen(app.routes()[0])).toBe(true);
    expect(Object.isFrozen(app.routes()[0]!.params[0])).toBe(true);
    await app.close();
  });
});

describe('startup errors point at the declaration', () => {
  test('an unbindable parameter names the method, and the first frame of the stack is the decorator in this file', () => {
    class Service {}
    @Controller('/broken')
    class BrokenController {
      @Get('/') get(service: Service) { return service; }
    }
    const app = new App({ controllers: [BrokenController], logger: false, handleSignals: false });
    let error: Error | undefined;
    try { app.routes(); } catch (err) { error = err as Error; }
    expect(error).toMatchObject({ code: 'CELLO_ERR_DTO_NO_DECORATORS', message: expect.stringContaining('BrokenController.get') });
    const firstFrame = error!.stack!.split('\n').find((l) => l.trimStart().startsWith('at '))!;
    expect(firstFrame).toContain('features.test.ts');
    expect(error!.stack).not.toContain('cello-error');
  });

  test('startup errors have no status; request-time ones have 500', async () => {
    const { CelloError, errorCodes } = await import('@cello/core');
    expect(new CelloError('CELLO_ERR_ROUTE_DUPLICATE', 'x').status).toBeUndefined();
    expect(new CelloError('CELLO_ERR_DI_CYCLE', 'x').status).toBe(500);
    expect(Object.keys(errorCodes).length).toBeGreaterThan(40);
  });
});

export type { CacheEntry };
