import http from 'node:http';
import net from 'node:net';
import { App, BackgroundTasks, Controller, Depends, Get, HttpError, Post, RequestContext, Response } from '@cello/core';
import { gate, logSink, until } from './helpers/gate';

function makeApp(controllers: Function[], extra: Record<string, unknown> = {}): App {
  return new App({ controllers: controllers as never, logger: false, handleSignals: false, ...extra });
}

describe('BackgroundTasks', () => {
  test('tasks run after the response, one after another, in the order added', async () => {
    const events: string[] = [];
    // Takes a turn of the event loop, so the next task would overtake it if tasks ran concurrently.
    const slow = async (name: string) => { await new Promise((r) => setImmediate(r)); events.push(name); };
    const sync = (name: string) => { events.push(name); };

    @Controller('/orders')
    class Orders {
      @Post('/', { status: 201 })
      create(tasks: BackgroundTasks) {
        tasks.add(slow, 'email');
        tasks.addTask(sync, 'inventory');
        events.push('handler');
        return Response.json({ order_id: 1, status: 'created' }, { status: 201 });
      }
    }
    const app = makeApp([Orders]);
    const res = await app.inject({ method: 'POST', url: '/orders' });
    expect(res.statusCode).toBe(201);
    expect(events).toEqual(['handler']); // nothing ran before the response
    await until(() => events.length === 3);
    expect(events).toEqual(['handler', 'email', 'inventory']);
    await app.close();
  });

  test('ctx.background is the same queue as the BackgroundTasks parameter', async () => {
    const events: string[] = [];
    @Controller('/')
    class C {
      @Get('/x') x(tasks: BackgroundTasks, ctx: RequestContext) {
        expect(ctx.background).toBe(tasks);
        ctx.background.add(() => events.push('from ctx'));
        return { queued: tasks.size };
      }
    }
    const app = makeApp([C]);
    expect((await app.inject('/x')).json()).toEqual({ queued: 1 });
    await until(() => events.length === 1);
    await app.close();
  });

  test('a handler that throws drops the tasks it added', async () => {
    const events: string[] = [];
    @Controller('/')
    class C {
      @Get('/x') x(tasks: BackgroundTasks) { tasks.add(() => events.push('should not run')); throw HttpError.badRequest('no'); }
      @Get('/y') y(tasks: BackgroundTasks) { tasks.add(() => events.push('ran')); return 'ok'; }
    }
    const app = makeApp([C]);
    expect((await app.inject('/x')).statusCode).toBe(400);
    expect((await app.inject('/y')).statusCode).toBe(200);
    await until(() => events.length === 1);
    expect(events).toEqual(['ran']);
    await app.close();
  });

  test('a failing task is logged with the request id and the next task still runs', async () => {
    const sink = logSink();
    const events: string[] = [];
    function failing(): void { throw new Error('smtp down'); }
    @Controller('/')
    class C {
      @Get('/x') x(tasks: BackgroundTasks) { tasks.add(failing); tasks.add(() => events.push('next')); return 'ok'; }
    }
    const app = makeApp([C], { logger: { level: 'error', stream: sink.stream } });
    const res = await app.inject('/x');
    expect(res.statusCode).toBe(200);
    await until(() => events.length === 1);
    expect(sink.lines).toHaveLength(1);
    expect(sink.lines[0]).toMatchObject({ code: 'CELLO_ERR_BACKGROUND_TASK_FAILED', task: 'failing', err: { message: 'smtp down' } });
    expect(sink.lines[0]!.reqId).toEqual(expect.any(String));
    await app.close();
  });

  test('tasks do not hold dependencies: cleanup is done before the first task starts', async () => {
    const events: string[] = [];
    async function* pooled() { events.push('acquire'); try { yield 'conn'; } finally { events.push('release'); } }
    @Controller('/')
    class C {
      @Get('/x') x(@Depends(pooled) conn: string, tasks: BackgroundTasks) { tasks.add(() => events.push('task')); return { conn }; }
    }
    const app = makeApp([C]);
    await app.inject('/x');
    await until(() => events.length === 3);
    expect(events).toEqual(['acquire', 'release', 'task']);
    await app.close();
  });

  test('tasks still run when the client went away', async () => {
    const started = gate();
    const release = gate();
    const taskRan = gate();
    const events: string[] = [];
    @Controller('/')
    class C {
      @Get('/slow') async slow(tasks: BackgroundTasks) {
        tasks.add(() => { events.push('task'); taskRan.open(); });
        started.open();
        await release.promise;
        events.push('handler done');
        return 'done';
      }
    }
    const app = makeApp([C]);
    try {
      const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
      const serverSide = new Promise<net.Socket>((r) => app.fastify.server.once('connection', r));
      const req = http.get({ host: url.hostname, port: url.port, path: '/slow' });
      req.on('error', () => undefined);
      await started.promise;
      req.destroy();
      const socket = await serverSide;
      // The server has seen the client go before the handler finishes.
      await new Promise((r) => (socket.destroyed ? r(null) : socket.once('close', r)));
      release.open();
      await taskRan.promise;
      expect(events).toEqual(['handler done', 'task']);
    } finally {
      await app.close();
    }
  });

  test('close() waits for queued tasks, so a graceful shutdown loses none', async () => {
    const events: string[] = [];
    const hold = gate();
    @Controller('/')
    class C {
      @Get('/x') x(tasks: BackgroundTasks) {
        tasks.add(async () => { await hold.promise; events.push('first'); });
        tasks.add(async () => { await new Promise((r) => setImmediate(r)); events.push('second'); });
        return 'ok';
      }
    }
    const app = makeApp([C]);
    app.onEvent('shutdown', () => { events.push('shutdown hook'); });
    // Released only once the server is closed: from there, a close() that did not wait for
    // tasks would run the shutdown hook before the tasks got their turns.
    app.fastify.addHook('onClose', (_instance, done) => { hold.open(); done(); });
    await app.inject('/x');
    await app.close();
    expect(events).toEqual(['first', 'second', 'shutdown hook']);
  });

  test('close() gives up on tasks after shutdownTimeout and says so in the log', async () => {
    const sink = logSink();
    @Controller('/')
    class C { @Get('/x') x(tasks: BackgroundTasks) { tasks.add(() => new Promise(() => undefined)); return 'ok'; } }
    const app = makeApp([C], { shutdownTimeout: 0.1, logger: { level: 'error', stream: sink.stream } });
    await app.inject('/x');
    await app.close();
    expect(sink.lines.map((l) => l.code)).toContain('CELLO_ERR_LIFECYCLE_SHUTDOWN_TIMEOUT');
  });

  test('add() rejects something that is not a function', async () => {
    const tasks = new BackgroundTasks();
    expect(() => tasks.add('nope' as never)).toThrow(expect.objectContaining({ code: 'CELLO_ERR_BACKGROUND_TASK_INVALID' }));
  });
});
