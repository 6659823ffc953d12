import dns from 'node:dns';
import net from 'node:net';
import { App, Controller, Get, Injectable, OnShutdown, OnStartup, Singleton } from '@cello/core';
import { gate, logSink } from './helpers/gate';

function makeApp(controllers: Function[] = [], extra: Record<string, unknown> = {}): App {
  return new App({ controllers: controllers as never, logger: false, ...extra });
}

describe('lifecycle', () => {
  test('startup hooks run in order before the first request; shutdown hooks in reverse on close', async () => {
    const events: string[] = [];
    const app = makeApp([], { handleSignals: false });
    app.onEvent('startup', async () => { await new Promise((r) => setImmediate(r)); events.push('start 1'); app.state.pool = 'pool'; });
    app.onEvent('startup', () => { events.push('start 2'); });
    app.onEvent('shutdown', () => { events.push('stop 1'); });
    app.onEvent('shutdown', async () => { events.push('stop 2'); });
    app.get('/pool', () => { events.push('request'); return { pool: app.state.pool }; });

    expect((await app.inject('/pool')).json()).toEqual({ pool: 'pool' });
    await app.inject('/pool'); // hooks run once
    await app.close();
    expect(events).toEqual(['start 1', 'start 2', 'request', 'request', 'stop 2', 'stop 1']);
  });

  test('services and controllers get onStartup (dependencies first) and onShutdown (reverse)', async () => {
    const events: string[] = [];
    @Singleton()
    class Database implements OnStartup, OnShutdown {
      onStartup() { events.push('db up'); }
      onShutdown() { events.push('db down'); }
    }
    @Singleton()
    class Mailer implements OnStartup, OnShutdown {
      constructor(readonly db: Database) {}
      async onStartup() { events.push('mailer up'); }
      async onShutdown() { events.push('mailer down'); }
    }
    @Controller('/mail')
    class MailController implements OnStartup {
      constructor(readonly mailer: Mailer) {}
      onStartup() { events.push('controller up'); }
      @Get('/') send() { return 'sent'; }
    }
    const app = makeApp([MailController], { handleSignals: false });
    app.onEvent('startup', () => { events.push('app startup'); });
    app.onEvent('shutdown', () => { events.push('app shutdown'); });
    await app.ready();
    await app.close();
    expect(events).toEqual(['app startup', 'db up', 'mailer up', 'controller up', 'mailer down', 'db down', 'app shutdown']);
  });

  test('a failing startup hook rejects listen(), skips later hooks and shuts down what started', async () => {
    const events: string[] = [];
    @Singleton()
    class Cache implements OnStartup, OnShutdown {
      onStartup() { events.push('cache up'); }
      onShutdown() { events.push('cache down'); }
    }
    @Singleton()
    class Broker implements OnStartup, OnShutdown {
      constructor(readonly cache: Cache) {}
      onStartup() { throw new Error('broker unreachable'); }
      onShutdown() { events.push('broker down (must not run)'); }
    }
    @Controller('/')
    class C { constructor(readonly broker: Broker) {} @Get('/') x() { return 1; } }
    const app = makeApp([C], { handleSignals: false });
    app.onEvent('startup', () => { events.push('hook 1'); });
    app.onEvent('shutdown', () => { events.push('shutdown 1'); });
    app.onEvent('shutdown', () => { events.push('shutdown 2'); });

    await expect(app.listen({ port: 0, host: '127.0.0.1' })).rejects.toThrow('broker unreachable');
    expect(events).toEqual(['hook 1', 'cache up', 'cache down', 'shutdown 2', 'shutdown 1']);
    await app.close();
  });

  test('a failing shutdown step is logged and the others still run', async () => {
    const sink = logSink();
    const events: string[] = [];
    const app = makeApp([], { handleSignals: false, logger: { level: 'error', stream: sink.stream } });
    app.onEvent('shutdown', () => { events.push('first registered'); });
    app.onEvent('shutdown', () => { throw new Error('flush failed'); });
    await app.ready();
    await app.close();
    expect(events).toEqual(['first registered']);
    expect(sink.lines[0]).toMatchObject({ code: 'CELLO_ERR_LIFECYCLE_SHUTDOWN_FAILED', err: { message: 'flush failed' } });
  });

  test('close() is idempotent and safe to call concurrently', async () => {
    let stops = 0;
    const app = makeApp([], { handleSignals: false });
    app.onEvent('shutdown', () => { stops++; });
    await app.ready();
    await Promise.all([app.close(), app.close()]);
    await app.close();
    expect(stops).toBe(1);
    await expect(app.inject('/')).rejects.toMatchObject({ code: 'CELLO_ERR_APP_CLOSED' });
  });

  test('20 apps listening and closed leave no signal listeners behind', async () => {
    const before = process.listenerCount('SIGTERM');
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    for (let i = 0; i < 20; i++) {
      const app = makeApp();
      app.get('/', () => 'ok');
      await app.listen({ port: 0, host: '127.0.0.1' });
      await app.close();
    }
    process.off('warning', onWarning);
    expect(process.listenerCount('SIGTERM')).toBe(before);
    expect(process.listenerCount('SIGINT')).toBe(before);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  test('close() does not wait for idle keep-alive connections', async () => {
    const app = makeApp([], { handleSignals: false });
    app.get('/', () => 'ok');
    const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    // A keep-alive client that made one request and then sits idle.
    const socket = net.connect(Number(url.port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await new Promise((r) => socket.once('data', r));
    await app.close(); // would hang until the keep-alive timeout without the idle sweep
    expect(socket.destroyed || socket.readableEnded || (await new Promise((r) => socket.once('close', () => r(true))))).toBeTruthy();
  });

  test('an in-flight request completes during close; one arriving on its keep-alive socket meanwhile gets 503 with Connection: close', async () => {
    const started = gate();
    const release = gate();
    const app = makeApp([], { handleSignals: false });
    app.get('/slow', async () => { started.open(); await release.promise; return { done: true }; });
    app.get('/fast', () => ({ fast: true }));
    const closeStarted = new Promise((r) => app.fastify.addHook('preClose', (done) => { r(null); done(); }));
    const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    const socket = net.connect(Number(url.port), '127.0.0.1');
    let received = '';
    socket.on('data', (d) => { received += d; });
    await new Promise((r) => socket.once('connect', r));
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await started.promise;
    const closing = app.close();
    await closeStarted; // fastify is closing from here on: new requests get 503
    const fastArrived = new Promise((r) => app.fastify.server.once('request', r));
    socket.write('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
    await fastArrived;
    release.open();
    await closing;
    await new Promise((r) => (socket.destroyed ? r(null) : socket.once('close', r)));
    expect(received).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*\{"done":true\}/);
    const second = received.slice(received.indexOf('{"done":true}'));
    expect(second).toMatch(/HTTP\/1\.1 503/);
    expect(second.toLowerCase()).toContain('connection: close');
  });

  test('an @Injectable (transient) service gets no lifecycle calls', async () => {
    const events: string[] = [];
    @Injectable() class Transient implements OnStartup { onStartup() { events.push('transient up'); } }
    @Controller('/') class C { constructor(readonly t: Transient) {} @Get('/') x() { return 1; } }
    const app = makeApp([C], { handleSignals: false });
    await app.ready();
    await app.close();
    expect(events).toEqual([]);
  });

  test('with a dual-stack listen, shutdown hooks wait for a request still running on the second listener', async () => {
    const started = gate();
    const events: string[] = [];
    const app = makeApp([], { handleSignals: false });
    const release = gate();
    app.get('/slow', async () => {
      started.open();
      await release.promise;
      // A loop turn: a close() that did not wait for this listener would run the hook meanwhile.
      await new Promise((r) => setImmediate(r));
      events.push('request done');
      return 'ok';
    });
    app.onEvent('shutdown', () => { events.push('shutdown hook'); });
    // Released once the first listener is closed, i.e. while close() must wait for the second one.
    app.fastify.addHook('onClose', (_instance, done) => { release.open(); done(); });
    // Make 'localhost' resolve to both stacks, as on most machines, so fastify opens a second listener.
    const realLookup = dns.lookup;
    const lookup = jest.spyOn(dns, 'lookup').mockImplementation(((host: string, opts: any, cb: Function) => {
      if (host !== 'localhost' || typeof opts !== 'object' || !opts.all) return (realLookup as Function)(host, opts, cb);
      cb(null, [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]);
    }) as never);
    try {
      await app.listen({ port: 0, host: 'localhost' });
    } finally {
      lookup.mockRestore();
    }
    const addresses = app.fastify.addresses();
    expect(addresses).toHaveLength(2);
    const main = app.fastify.server.address() as { address: string };
    const second = addresses.find((a) => a.address !== main.address)!;
    const host = second.family === 'IPv6' ? `[${second.address}]` : second.address;
    const response = fetch(`http://${host}:${second.port}/slow`);
    await started.promise;
    await app.close();
    expect(events).toEqual(['request done', 'shutdown hook']);
    expect((await response).status).toBe(200);
  });
});
