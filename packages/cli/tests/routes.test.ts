import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleApp } from './sample-app';
import { expectCliError, runCli, tempDir, removeTempDirs } from './support';

afterAll(removeTempDirs);

describe('cello routes', () => {
  let dir: string;
  beforeAll(() => {
    dir = sampleApp('routes');
  });

  test('prints the route table of dist/app.js as text, without starting the app', async () => {
    const marker = join(dir, 'started.txt');
    const result = await runCli(['routes'], { cwd: dir, env: { STARTUP_MARKER: marker } });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.trimEnd().split('\n').map((l) => l.trimEnd().split(/\s{2,}/));
    expect(lines).toEqual([
      ['METHOD', 'PATH', 'HANDLER', 'GUARDS', 'CACHE', 'RATE LIMIT'],
      ['GET', '/users', 'UsersController.list', '-', '-', '-'],
      ['GET', '/users/{id}', 'UsersController.get', 'AdminOnly, ApiKeyGuard', '-', '-'],
      ['POST', '/users', 'UsersController.create', '-', '-', '-'],
      ['GET', '/hello/{name}', 'GET /hello/:name', '-', '-', '-'],
      ['GET', '/pid', 'GET /pid', '-', '-', '-'],
    ]);
    expect(existsSync(marker)).toBe(false);
  });

  test('--json prints the same table as data', async () => {
    const result = await runCli(['routes', '--json', '--entry', 'dist/app.js'], { cwd: dir });
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout);
    expect(rows).toHaveLength(5);
    expect(rows[1]).toEqual({
      kind: 'http',
      methods: ['GET'],
      path: '/users/{id}',
      handler: 'UsersController.get',
      guards: ['AdminOnly', 'ApiKeyGuard'],
      cache: null,
      invalidates: null,
      rateLimit: null,
    });
  });

  test('shows cache and rate limit settings, from an `app` export', async () => {
    const other = tempDir('routes-fields');
    // Stands in for an App whose route table carries @Cache and @RateLimit settings.
    writeFileSync(join(other, 'app.js'), `
      exports.app = { routes: () => [
        { methods: ['GET', 'HEAD'], path: '/items', handlerName: 'ItemsController.list', guards: [],
          cache: { ttl: 120, tags: ['items'] }, rateLimit: { algorithm: 'token-bucket', requests: 100, window: 60 } },
        { methods: ['POST'], path: '/items', handlerName: 'ItemsController.create', guards: [],
          cache: null, invalidateTags: ['items'], rateLimit: false },
        { kind: 'websocket', methods: ['GET'], path: '/ws/chat', handlerName: 'ChatController.chat', guards: [], cache: null, rateLimit: null },
        { kind: 'sse', methods: ['GET'], path: '/events', handlerName: 'EventsController.events', guards: [], cache: null, rateLimit: null },
      ] };`);
    const text = await runCli(['routes', '--entry', 'app.js'], { cwd: other });
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n').map((l) => l.trimEnd().split(/\s{2,}/));
    expect(lines[1]).toEqual(['GET,HEAD', '/items', 'ItemsController.list', '-', '120s [items]', '100/60s token-bucket']);
    expect(lines[2]).toEqual(['POST', '/items', 'ItemsController.create', '-', 'invalidates [items]', 'off']);
    expect(lines[3]).toEqual(['WS', '/ws/chat', 'ChatController.chat', '-', '-', '-']);
    expect(lines[4]).toEqual(['SSE', '/events', 'EventsController.events', '-', '-', '-']);

    const json = JSON.parse((await runCli(['routes', '--entry', 'app.js', '--json'], { cwd: other })).stdout);
    expect(json[0].cache).toEqual({ ttl: 120, tags: ['items'] });
    expect(json[0].rateLimit).toEqual({ requests: 100, window: 60, algorithm: 'token-bucket' });
    expect(json[1]).toMatchObject({ kind: 'http', invalidates: ['items'], rateLimit: 'off' });
    expect(json[2]).toMatchObject({ kind: 'websocket', methods: ['GET'], path: '/ws/chat' });
  });

  test('a default export that is an App works too', async () => {
    const other = tempDir('routes-default');
    writeFileSync(join(other, 'app.js'), `module.exports = { routes: () => [] };`);
    const result = await runCli(['routes', '--entry', 'app.js'], { cwd: other });
    expect(result).toMatchObject({ code: 0, stdout: 'No routes.\n' });
  });

  test('a missing entry says to build or pass --entry', async () => {
    const empty = tempDir('routes-missing');
    expectCliError(await runCli(['routes'], { cwd: empty }), /dist\/app\.js not found: build the project first \(npm run build\), or pass --entry <file>/);
  });

  test('a module without an app says what to export', async () => {
    const other = tempDir('routes-noexport');
    writeFileSync(join(other, 'app.js'), 'exports.answer = 42;');
    expectCliError(await runCli(['routes', '--entry', 'app.js'], { cwd: other }), /exports no createApp\(\) function and no app: export one of them/);
  });
});
