import { App, Controller, Depends, Get, Guards, RequestContext, Singleton, type Guard, type OnShutdown, type OnStartup } from '@cello/core';

describe('lifecycle hooks of every service the app creates', () => {
  test('after a failed startup, close() does not run the shutdown hooks a second time', async () => {
    const events: string[] = [];
    @Singleton()
    class Pool implements OnStartup, OnShutdown {
      onStartup() { events.push('pool up'); }
      onShutdown() { events.push('pool down'); }
    }
    @Controller('/')
    class PoolController {
      constructor(readonly pool: Pool) {}
      @Get('/') get() { return 1; }
    }
    const app = new App({ controllers: [PoolController], logger: false, handleSignals: false });
    app.onEvent('shutdown', () => { events.push('shutdown hook'); });
    app.onEvent('startup', () => { events.push('startup hook'); });
    @Singleton()
    class Broken implements OnStartup { onStartup() { throw new Error('no database'); } }
    app.onEvent('startup', () => { app.container.resolve(Broken); });
    await expect(app.ready()).rejects.toThrow('no database');
    await app.close();
    await app.close();
    expect(events).toEqual(['startup hook', 'pool up', 'pool down', 'shutdown hook']);
  });

  test('a @Singleton reached only from a guard class gets onStartup before the first request and onShutdown on close', async () => {
    const events: string[] = [];
    @Singleton()
    class KeyStore implements OnStartup, OnShutdown {
      keys = new Set<string>();
      onStartup() { this.keys.add('k1'); events.push('keys loaded'); }
      onShutdown() { events.push('keys dropped'); }
    }
    @Singleton()
    class KeyGuard implements Guard {
      constructor(readonly store: KeyStore) {}
      canActivate(ctx: RequestContext) { return this.store.keys.has(ctx.request.header('x-key', '')); }
    }
    @Controller('/secret')
    @Guards(KeyGuard)
    class SecretController { @Get('/') get() { events.push('request'); return { ok: true }; } }
    const app = new App({ controllers: [SecretController], logger: false, handleSignals: false });
    expect((await app.inject({ url: '/secret', headers: { 'x-key': 'k1' } })).statusCode).toBe(200);
    await app.close();
    expect(events).toEqual(['keys loaded', 'request', 'keys dropped']);
  });

  test('a @Singleton first resolved by a dependency during a request starts then and shuts down on close', async () => {
    const events: string[] = [];
    @Singleton()
    class Metrics implements OnStartup, OnShutdown {
      onStartup() { events.push('metrics up'); }
      onShutdown() { events.push('metrics down'); }
    }
    function metrics(ctx: RequestContext) { return ctx.container.resolve(Metrics); }
    @Controller('/')
    class CountController { @Get('/count') count(@Depends(metrics) m: Metrics) { events.push('request'); return { ok: m instanceof Metrics }; } }
    const app = new App({ controllers: [CountController], logger: false, handleSignals: false });
    expect((await app.inject('/count')).json()).toEqual({ ok: true });
    expect((await app.inject('/count')).json()).toEqual({ ok: true });
    await app.close();
    expect(events).toEqual(['metrics up', 'request', 'request', 'metrics down']);
  });

  test('two apps still get one instance each, each started and stopped once', async () => {
    const events: string[] = [];
    @Singleton()
    class Clock implements OnStartup, OnShutdown {
      onStartup() { events.push('up'); }
      onShutdown() { events.push('down'); }
    }
    @Controller('/')
    class ClockController { constructor(readonly clock: Clock) {} @Get('/') get() { return 1; } }
    const a = new App({ controllers: [ClockController], logger: false, handleSignals: false });
    const b = new App({ controllers: [ClockController], logger: false, handleSignals: false });
    await a.ready();
    await b.ready();
    expect(a.container.resolve(Clock)).not.toBe(b.container.resolve(Clock));
    expect(a.container.resolve(Clock)).toBe(a.container.resolve(Clock));
    await a.close();
    await b.close();
    expect(events).toEqual(['up', 'up', 'down', 'down']);
  });
});
