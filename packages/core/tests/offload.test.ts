import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Controller, Get, Offload, Request } from '@cello/core';
import { logSink, until } from './helpers/gate';
import { compileFixture } from './helpers/compile-fixture';
import { compiledFile } from '../src/offload/compiled-file';

// A worker thread cannot run what jest compiles in memory: the controllers live in a fixture
// compiled to JavaScript first, loaded here (through jest) and in the worker (plain Node, which
// resolves @cello/core to the package's build).
const fixture = compileFixture(join(__dirname, 'fixtures/offload/report.controller.ts'));
const { ConfiguredController, ReportController, hiddenController } = require(fixture) as typeof import('./fixtures/offload/report.controller');

let app: App;
afterEach(() => app?.close());

function reportApp(options: ConstructorParameters<typeof App>[0] = {}): App {
  app = new App({ controllers: [ReportController], logger: false, offload: { minThreads: 1, maxThreads: 1 }, ...options });
  return app;
}

describe('@Offload()', () => {
  test('the method runs on a worker thread, with path, query and header parameters converted as on the main thread', async () => {
    reportApp();
    const res = await app.inject({ method: 'GET', url: '/fib/10?times=2', headers: { 'x-label': 'ten' } });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ value: 110, label: 'ten', types: ['number', 'number'], isMainThread: false });
    expect((await app.inject('/on-main')).json()).toEqual({ isMainThread: true });
  });

  test('validation runs on the main thread: a bad parameter is a 422 and never reaches the worker', async () => {
    reportApp();
    const res = await app.inject('/fib/ten');

    expect(res.statusCode).toBe(422);
  });

  test('a DTO parameter is validated on the main thread and arrives as an instance of its class, nested DTOs too', async () => {
    reportApp();
    const order = { customer: 'ada', placedAt: '2026-05-01T10:00:00Z', lines: [{ sku: 'pen', qty: 3, price: 4 }, { sku: 'ink', qty: 1, price: 5 }] };
    const ok = await app.inject({ method: 'POST', url: '/orders', payload: order });
    const bad = await app.inject({ method: 'POST', url: '/orders', payload: { ...order, lines: [{ sku: 'pen', qty: 0, price: 4 }] } });

    expect([ok.statusCode, ok.json()]).toEqual([201, { isInstance: true, linesAreInstances: true, placedAt: 2026, total: 17, isMainThread: false }]);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details).toEqual([{ path: 'lines[0].qty', messages: ['qty must not be less than 1'] }]);
  });

  test('app-lifetime services exist once per worker thread', async () => {
    reportApp();
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push((await app.inject('/count')).json().count);

    expect(counts).toEqual([1, 2, 3]);
  });

  test('an HttpError thrown in the worker keeps its status, message, code and details', async () => {
    reportApp();
    const res = await app.inject('/conflict');

    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ statusCode: 409, error: 'Conflict', message: 'Email taken', code: 'EMAIL_TAKEN', details: { field: 'email' } });
  });

  test('any other error is a generic 500, logged with the worker\'s message', async () => {
    const sink = logSink();
    reportApp({ logger: { level: 'error', stream: sink.stream } });
    const res = await app.inject('/crash');

    expect(res.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' });
    await until(() => sink.lines.length > 0);
    expect(sink.lines[0]!.err).toMatchObject({ message: 'database password in this message' });
    // The worker stays usable.
    expect((await app.inject('/fib/5')).statusCode).toBe(200);
  });

  test('a result that cannot be cloned back is a 500 logged with CELLO_ERR_OFFLOAD_RESULT', async () => {
    const sink = logSink();
    reportApp({ logger: { level: 'error', stream: sink.stream } });
    const res = await app.inject('/function');

    expect(res.statusCode).toBe(500);
    await until(() => sink.lines.length > 0);
    expect(sink.lines[0]!.err).toMatchObject({ code: 'CELLO_ERR_OFFLOAD_RESULT' });
    expect(sink.lines[0]!.err.message).toMatch(/ReportController\.returnsFunction returned a value a worker thread cannot send back/);
    expect((await app.inject('/fib/5')).statusCode).toBe(200);
  });

  test('close() lets a task in flight finish, then stops the pool', async () => {
    reportApp();
    let handed!: () => void;
    const inFlight = new Promise<void>((resolve) => { handed = resolve; });
    // Middleware runs on the main thread around the call to the pool: past it, the task is in flight.
    app.use((ctx, next) => {
      if (ctx.request.path === '/slow') handed();
      return next();
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const pending = fetch(`${url}/slow?ms=300`);
    await inFlight;
    const closed = app.close();

    const res = await pending;
    expect([res.status, await res.json()]).toEqual([200, { waited: 300 }]);
    await closed;
  });

});

describe('@Offload() in an ES module app', () => {
  test('the worker imports the controller\'s module as the main thread did', async () => {
    compileFixture(join(__dirname, 'fixtures/offload/esm/report.controller.ts'), 'esm');
    const main = compileFixture(join(__dirname, 'fixtures/offload/esm/main.ts'), 'esm');
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [main], { timeout: 60_000 }, (err, out, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(out)));
    });

    expect(JSON.parse(stdout)).toEqual([
      { status: 200, body: { total: 45, isMainThread: false } },
      { status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'below is at most 1000' } },
    ]);
  });
});

describe('@Offload() startup errors', () => {
  test('a method taking the Request is refused with CELLO_ERR_OFFLOAD_PARAM', async () => {
    @Controller('/raw')
    class RawController {
      @Get('/')
      @Offload()
      get(req: Request) {
        return { url: req.url };
      }
    }
    app = new App({ controllers: [RawController], logger: false });

    await expect(app.ready()).rejects.toMatchObject({
      code: 'CELLO_ERR_OFFLOAD_PARAM',
      message: expect.stringMatching(/RawController\.get is @Offload\(\)ed, but its parameter 0 is the Request.*only @Param\(\), @Query\(\), @Body\(\), @Header\(\) and DTO/),
    });
  });

  test('a controller whose TypeScript source is not part of a build is CELLO_ERR_OFFLOAD_MODULE', async () => {
    @Controller('/in-memory')
    class InMemoryController {
      @Get('/')
      @Offload()
      get() {
        return {};
      }
    }
    app = new App({ controllers: [InMemoryController], logger: false });

    await expect(app.ready()).rejects.toMatchObject({
      code: 'CELLO_ERR_OFFLOAD_MODULE',
      message: expect.stringMatching(/offload\.test\.ts, and a worker thread runs plain JavaScript: it is outside the rootDir of .*tsconfig\.json/),
    });
  });

  test('a controller its module does not export is CELLO_ERR_OFFLOAD_NOT_EXPORTED', async () => {
    app = new App({ controllers: [hiddenController() as never], logger: false });

    await expect(app.ready()).rejects.toMatchObject({
      code: 'CELLO_ERR_OFFLOAD_NOT_EXPORTED',
      message: expect.stringContaining('the class HiddenController is not exported from'),
    });
  });

  test('a controller the worker\'s container cannot build is a startup error, not a failing request', async () => {
    app = new App({ controllers: [ConfiguredController], logger: false });
    app.container.register('settings', { useValue: { factor: 2 } });

    await expect(app.ready()).rejects.toMatchObject({
      code: 'CELLO_ERR_OFFLOAD_MODULE',
      message: expect.stringMatching(/Cannot offload ConfiguredController\.get: a worker thread could not load it: .*settings/),
    });
  });

  test('bad pool options are CELLO_ERR_OFFLOAD_CONFIG', async () => {
    reportApp({ offload: { minThreads: 3, maxThreads: 2 } });

    await expect(app.ready()).rejects.toMatchObject({ code: 'CELLO_ERR_OFFLOAD_CONFIG', message: expect.stringContaining('minThreads (3) is more than maxThreads (2)') });
  });
});

describe('the build a worker loads for a TypeScript source', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cello-offload-'));
    // Comments and a trailing comma, as tsconfig.json allows.
    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": { /* build */ "rootDir": "src", "outDir": "dist", }, // end\n}');
    mkdirSync(join(dir, 'src', 'reports'), { recursive: true });
    writeFileSync(join(dir, 'src', 'reports', 'report.controller.ts'), 'export class X {}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('is found by the project\'s rootDir and outDir', () => {
    mkdirSync(join(dir, 'dist', 'reports'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'reports', 'report.controller.js'), 'exports.X = class X {}');

    expect(compiledFile(join(dir, 'src', 'reports', 'report.controller.ts'))).toEqual({ file: join(dir, 'dist', 'reports', 'report.controller.js') });
  });

  test('a missing or stale build is refused, saying to build', () => {
    const source = join(dir, 'src', 'reports', 'report.controller.ts');
    expect(compiledFile(source)).toEqual({ problem: expect.stringMatching(/report\.controller\.js does not exist: run `npm run build`/) });

    mkdirSync(join(dir, 'dist', 'reports'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'reports', 'report.controller.js'), 'exports.X = class X {}');
    utimesSync(join(dir, 'dist', 'reports', 'report.controller.js'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    expect(compiledFile(source)).toEqual({ problem: expect.stringMatching(/is older than the source: run `npm run build`/) });
  });
});
