import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expectCliError, linkNodeModules, removeTempDirs, repoRoot, run, runCli, tempDir } from './support';

// The fixture app (tests/client-fixture) covers every parameter kind, inheritance, functional
// routes and routes returning a Response. It is built with the repo's tsc, as a user's app is.
const fixture = resolve(__dirname, 'client-fixture');
const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');

async function typecheck(dir: string, project = 'tsconfig.json'): Promise<string> {
  const result = await run(tsc, ['-p', project, '--noEmit'], { cwd: dir });
  return `${result.stdout}${result.stderr}`.trim();
}

let dir: string;
let generated: string;

beforeAll(async () => {
  dir = tempDir('client');
  cpSync(fixture, dir, { recursive: true, filter: (src) => !src.endsWith('usage.ts') });
  linkNodeModules(dir);
  const built = await run(tsc, ['-p', '.'], { cwd: dir });
  if (built.code !== 0) throw new Error(`tsc failed:\n${built.stdout}\n${built.stderr}`);
  const result = await runCli(['client', '--out', 'src/client.ts'], { cwd: dir });
  expect(result).toMatchObject({ code: 0, stdout: 'wrote src/client.ts\n', stderr: '' });
  generated = readFileSync(join(dir, 'src', 'client.ts'), 'utf8');
}, 60_000);

afterAll(removeTempDirs);

describe('cello client --out', () => {
  test('imports the types of controllers, declared response bodies and exported handlers from their sources, and nothing else', () => {
    const imports = generated.split('\n').filter((line) => /^\s*(import|export .* from)\b|\brequire\(/.test(line));
    expect(imports).toEqual([
      "import type { hello } from './hello.js';",
      "import type { NoteView } from './dtos.js';",
      "import type { AdminNotesController, NotesController } from './notes-controller.js';",
    ].sort((a, b) => a.split("'")[1]!.localeCompare(b.split("'")[1]!)));
  });

  test('one property per controller, one method per route (inherited ones too), functional routes by method and path', () => {
    const members = [...generated.matchAll(/^ {4}(\w+): \{$|^ {6}('[^']+'|\w+): \(/gm)].map((m) => m[1] ?? `  ${m[2]}`);
    const own = ['count', 'list', 'get', 'create', 'rename', 'remove', 'view', 'text', 'bytes'].map((m) => `  ${m}`);
    expect(members).toEqual(['notes', ...own, 'adminNotes', ...own, '  purge', 'routes', "  'GET /hello/{name}'", "  'POST /echo'"]);
  });

  test('Request, RequestContext, Depends and BackgroundTasks parameters are not client-facing', () => {
    const create = generated.split('\n').find((line) => line.startsWith('      create:'))!;
    expect(create).toContain("body: Sent<Arg<NotesController, 'create', 0>>");
    expect(create).toContain("headers: Compact<{ 'x-request-key': Arg<NotesController, 'create', 1> }> & HeaderValues");
    expect(create).not.toMatch(/'create', [23]>/);
    expect(generated).not.toMatch(/'get', 1>|'remove', 1>/);
  });

  test('correct calls compile; a wrong parameter name, body field type or use of a result does not', async () => {
    cpSync(join(fixture, 'usage.ts'), join(dir, 'src', 'usage.ts'));
    // Every `@ts-expect-error` in usage.ts must be needed: tsc reports an unused one.
    expect(await typecheck(dir)).toBe('');
  }, 60_000);

  test('the generated file compiles under the strictest options and with the DOM library', async () => {
    // exactOptionalPropertyTypes, noUnusedLocals, noUncheckedIndexedAccess, erasableSyntaxOnly, ...
    cpSync(join(fixture, 'usage.ts'), join(dir, 'src', 'usage.ts'));
    expect(await typecheck(dir, 'tsconfig.strict.json')).toBe('');
  }, 60_000);

  test('a change on the server breaks the caller\'s compile, without regenerating', async () => {
    cpSync(join(fixture, 'usage.ts'), join(dir, 'src', 'usage.ts'));
    const dtos = join(dir, 'src', 'dtos.ts');
    const original = readFileSync(dtos, 'utf8');
    writeFileSync(dtos, original.replace('priority!: number;', 'priority!: string;'));
    try {
      const output = await typecheck(dir);
      expect(output).toMatch(/src\/usage\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
      expect(output).toContain("error TS2578: Unused '@ts-expect-error' directive");
    } finally {
      writeFileSync(dtos, original);
    }
  }, 60_000);

  test('--check passes when the file is current and fails, saying how to fix it, when it is not', async () => {
    expect(await runCli(['client', '--out', 'src/client.ts', '--check'], { cwd: dir })).toMatchObject({ code: 0, stdout: 'src/client.ts is up to date\n' });
    writeFileSync(join(dir, 'src', 'stale.ts'), generated.replace("'/notes/{id}'", "'/notes/{noteId}'"));
    expectCliError(await runCli(['client', '--out', 'src/stale.ts', '--check'], { cwd: dir }), /src\/stale\.ts is out of date: run `cello client --out src\/stale\.ts`/);
  });

  test('an app built as ES modules gets the same client', async () => {
    const esm = tempDir('client-esm');
    cpSync(fixture, esm, { recursive: true });
    writeFileSync(join(esm, 'package.json'), '{ "name": "client-fixture-esm", "private": true, "type": "module" }');
    linkNodeModules(esm);
    const built = await run(tsc, ['-p', '.'], { cwd: esm });
    if (built.code !== 0) throw new Error(`tsc failed:\n${built.stdout}\n${built.stderr}`);
    expect(await runCli(['client', '--out', 'src/client.ts'], { cwd: esm })).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(esm, 'src', 'client.ts'), 'utf8')).toBe(generated);
    cpSync(join(fixture, 'usage.ts'), join(esm, 'src', 'usage.ts'));
    expect(await typecheck(esm)).toBe('');
  }, 60_000);

  test('two controller classes that would share a property are an error', async () => {
    const other = tempDir('client-clash');
    writeFileSync(join(other, 'app.js'), `
      const a = { UsersController: class UsersController {} };
      const b = { UsersController: class UsersController {} };
      const row = (c, key) => ({ kind: 'http', methods: ['GET'], path: '/' + key, controller: c, propertyKey: key, params: [], options: {} });
      exports.app = { routes: () => [row(a.UsersController, 'list'), row(b.UsersController, 'get')] };`);
    expectCliError(await runCli(['client', '--entry', 'app.js', '--out', 'client.ts'], { cwd: other }), /UsersController and UsersController would both be api\.users: .*rename one/);
  });

  test('a controller class its module does not export is an error that says so', async () => {
    const other = tempDir('client-hidden');
    writeFileSync(join(other, 'app.js'), `
      class HiddenController {}
      exports.app = { routes: () => [{ kind: 'http', methods: ['GET'], path: '/', controller: HiddenController, propertyKey: 'list', params: [], options: {} }] };`);
    expectCliError(await runCli(['client', '--entry', 'app.js', '--out', 'client.ts'], { cwd: other }), /HiddenController is not exported by any module of the app: export it from its file/);
  });

  test('without --out or --openapi it says what to pass', async () => {
    expectCliError(await runCli(['client'], { cwd: dir }), /nothing to write: pass --out <file>/);
  });
});

describe('cello client --openapi', () => {
  test('writes the OpenAPI document of the built app, without starting it', async () => {
    const result = await runCli(['client', '--openapi', 'openapi.json'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: 'wrote openapi.json\n' });
    const doc = JSON.parse(readFileSync(join(dir, 'openapi.json'), 'utf8'));
    expect(doc).toMatchObject({ openapi: '3.1.0', info: { title: 'API', version: '1.0.0' } });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/notes', '/notes/{id}', '/admin/notes', '/hello/{name}', '/echo']));
  });
});

describe('the generated client at run time, against the fixture app', () => {
  // Loaded from the temp folder at run time: its types are what the tsc tests above check.
  type Client = Record<string, Record<string, (input?: object) => Promise<unknown>>>;
  let server: ChildProcess;
  let base: string;
  let client: { createClient: (url: string, options?: object) => Client; CelloClientError: new (...args: never[]) => Error };
  let api: Client;

  beforeAll(async () => {
    server = spawn(process.execPath, ['dist/main.js'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    base = await new Promise<string>((done, fail) => {
      server.stdout!.once('data', (d: Buffer) => done(d.toString().trim()));
      server.once('exit', (code) => fail(new Error(`the fixture app exited (${code})`)));
    });
    // The generated TypeScript itself, compiled by jest like any test file.
    client = require(join(dir, 'src', 'client.ts'));
    api = client.createClient(base);
  }, 60_000);

  afterAll(() => {
    server?.kill();
  });

  test('query values are sent as the server parses them: arrays as repeated keys, numbers, booleans', async () => {
    await expect(api.notes.list({ query: { ids: ['a&b', 'c'], tag: 'x y', page: 2, archived: false } }))
      .resolves.toEqual({ filter: { tag: 'x y', page: 2, archived: false }, ids: ['a&b', 'c'] });
    const one = await api.notes.get({ params: { id: 5 }, query: { verbose: true } });
    expect(one).toEqual({ id: 5, verbose: true, created: '1970-01-01T00:00:00.000Z', raw: { verbose: 'true' } });
  });

  test('path parameters are encoded; bodies are JSON; declared headers are sent', async () => {
    await expect(api.notes.rename({ params: { id: 'a/b c?' }, body: { title: 'T' } })).resolves.toEqual({ id: 'a/b c?', title: 'T' });
    await expect(api.notes.create({ body: { title: 'n', priority: 2 }, headers: { 'x-request-key': 'k1', 'x-user': 'ann' } }))
      .resolves.toEqual({ id: 7, title: 'n', priority: 2, summary: 'n (2)', key: 'k1', user: 'ann' });
    await expect(api.routes['GET /hello/{name}']({ params: { name: 'ann' } })).resolves.toEqual({ greeting: 'hello ann' });
    await expect(api.routes['POST /echo']({ body: [1, 'two'] })).resolves.toEqual([1, 'two']);
  });

  test('204 resolves to undefined; a Response resolves to its body, JSON or text; a Buffer to text', async () => {
    await expect(api.notes.remove({ params: { id: 'x' } })).resolves.toBeUndefined();
    await expect(api.adminNotes.view({ params: { id: 3 } })).resolves.toEqual({ id: 3, title: 'note 3' });
    await expect(api.notes.text({ params: { id: 'x' } })).resolves.toBe('note x');
    await expect(api.notes.bytes({ params: { id: 'x' } })).resolves.toBe('bytes of x');
  });

  test('a non-2xx answer throws CelloClientError with status, headers and the parsed error body', async () => {
    const error = await api.notes.create({ body: { title: '', priority: -1 }, headers: { 'x-request-key': 'k' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(client.CelloClientError);
    expect(error).toMatchObject({
      name: 'CelloClientError',
      status: 422,
      headers: expect.objectContaining({ 'content-type': expect.stringContaining('application/json') }),
      body: { statusCode: 422, error: 'Unprocessable Entity', details: expect.arrayContaining([expect.objectContaining({ path: 'priority' })]) },
    });
    const missing = await api.notes.get({ params: { id: 'nope' as never } }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 422, message: expect.stringMatching(/^GET http:.*\/notes\/nope answered 422: /) });
  });

  test('options: a custom fetch, headers from an async function and per call; an AbortSignal per call', async () => {
    const seen: { url: string; init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal } }[] = [];
    const signal = new AbortController().signal;
    const recording = client.createClient(`${base}/`, {
      headers: async () => ({ authorization: 'Bearer t', 'x-skip': undefined }),
      fetch: (url: string, init: (typeof seen)[number]['init']) => {
        seen.push({ url, init });
        return fetch(url, init);
      },
    });
    await recording.notes.create({ body: { title: 'n', priority: 1 }, headers: { 'x-request-key': 'k' }, signal });
    expect(seen).toEqual([{
      url: `${base}/notes`,
      init: {
        method: 'POST',
        headers: { accept: 'application/json', authorization: 'Bearer t', 'x-request-key': 'k', 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'n', priority: 1 }),
        signal,
      },
    }]);

    const aborted = await api.notes.count({ signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(aborted).toMatchObject({ name: 'AbortError' });
    expect(aborted).not.toBeInstanceOf(client.CelloClientError);
  });

  test('network errors pass through unwrapped', async () => {
    const closed = client.createClient('http://127.0.0.1:1');
    const error = await closed.notes.count().catch((e: unknown) => e);
    // fetch's own TypeError (from Node's realm, hence no instanceof under jest).
    expect(error).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(error).not.toBeInstanceOf(client.CelloClientError);
  });
});
