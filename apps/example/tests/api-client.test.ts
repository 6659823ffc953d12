import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { App } from '@cello/core';
import { createApp } from '../src/app';
import { CelloClientError, createClient, type Client } from '../src/api-client';
import { configFromEnv } from '../src/config';
import { eventually } from './support/eventually';

const exampleDir = resolve(__dirname, '..');
const cli = resolve(exampleDir, '..', '..', 'packages', 'cli', 'dist', 'cli.js');

describe('the generated client (src/api-client.ts)', () => {
  test('is up to date with the routes: regenerate with `npm run client -w @cello/example`', () => {
    // Reads the built app (npm test builds first) and compares without writing.
    const result = spawnSync(process.execPath, [cli, 'client', '--out', 'src/api-client.ts', '--check'], { cwd: exampleDir, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('src/api-client.ts is up to date\n');
    expect(result.status).toBe(0);
  });

  test('imports nothing but types', () => {
    const source = readFileSync(resolve(exampleDir, 'src', 'api-client.ts'), 'utf8');
    const imports = source.split('\n').filter((line) => /^\s*(import|export)\b.*\bfrom\b|\brequire\(|\bimport\(/.test(line));
    expect(imports.length).toBeGreaterThan(0);
    for (const line of imports) expect(line).toMatch(/^import type \{ [\w, ]+ \} from '\.\/[\w/.-]+\.js';$/);
  });
});

describe('the example over a real socket, through the generated client', () => {
  let app: App;
  let base: string;
  let alice: Client;
  let bob: Client;
  let anonymous: Client;

  beforeAll(async () => {
    app = createApp({ config: { ...configFromEnv({}), databaseUrl: undefined, databaseSchema: undefined }, logger: false, accessLog: { stream: { write: () => true } as never }, handleSignals: false });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    anonymous = createClient(base);
    const tokens: Record<string, string> = {};
    for (const [name, password] of [['alice', 'wonderland'], ['bob', 'builder']] as const) {
      tokens[name] = (await anonymous.auth.token({ body: { username: name, password } })).access_token;
    }
    // The headers function is asked before every call, as a token store would be.
    alice = createClient(base, { headers: async () => ({ authorization: `Bearer ${tokens.alice}` }) });
    bob = createClient(`${base}/`, { headers: { authorization: `Bearer ${tokens.bob}` } });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  }, 60_000);

  test('login: a token for the right password, a CelloClientError (401) for a wrong one', async () => {
    const session = await anonymous.auth.token({ body: { username: 'alice', password: 'wonderland' } });
    expect(session).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    const wrong = await anonymous.auth.token({ body: { username: 'alice', password: 'nope' } }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(CelloClientError);
    expect(wrong).toMatchObject({ status: 401, body: { statusCode: 401, message: 'Wrong username or password' } });
  });

  test('create an item, then read it back in the list', async () => {
    const item = await alice.items.create({ body: { sku: 'quill', name: 'Quill', price: 2.5, stock: 7 } });
    expect(item).toEqual({ id: expect.any(Number), sku: 'quill', name: 'Quill', price: 2.5, stock: 7 });
    const { items } = await alice.items.list();
    expect(items.map((i) => i.sku)).toContain('quill');
  });

  test('a 422 carries the validation details', async () => {
    const error = (await alice.items.create({ body: { sku: 'Bad SKU', name: '', price: -1, stock: 1 } }).catch((e: unknown) => e)) as CelloClientError;
    expect(error).toBeInstanceOf(CelloClientError);
    expect(error.status).toBe(422);
    expect(error.headers['content-type']).toContain('application/json');
    expect(error.body?.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'price' }), expect.objectContaining({ path: 'sku' })]));
    expect(error.message).toBe(`POST ${base}/items answered 422: ${error.body?.message}`);
  });

  test('a 403 when a guard says no (bob is a viewer)', async () => {
    const error = await bob.items.create({ body: { sku: 'nib', name: 'Nib', price: 1, stock: 1 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, body: { statusCode: 403, error: 'Forbidden' } });
  });

  test('an order answers 201 at once; its background tasks confirm it and take the stock', async () => {
    // The quill alice created above (these tests build on each other, as a session would).
    const created = await bob.orders.create({ body: { items: [{ sku: 'quill', qty: 2 }] } });
    expect(created).toEqual({ order_id: expect.any(Number), status: 'created' });
    const order = await eventually(async () => {
      const view = await bob.orders.get({ params: { id: created.order_id } });
      return view.confirmation_sent && view.items[0]!.stock_left === 5 ? view : undefined;
    }, 'the confirmation and the stock update');
    expect(order).toEqual({ id: created.order_id, status: 'created', confirmation_sent: true, items: [{ sku: 'quill', qty: 2, stock_left: 5 }] });
    // Someone else's order is not found.
    await expect(alice.orders.get({ params: { id: created.order_id } })).rejects.toMatchObject({ status: 404 });
  });

  test('cello client --openapi writes the document /openapi.json serves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cello-example-openapi-'));
    try {
      const result = spawnSync(process.execPath, [cli, 'client', '--openapi', join(dir, 'openapi.json')], { cwd: exampleDir, encoding: 'utf8' });
      expect(result.status).toBe(0);
      const served = await (await fetch(`${base}/openapi.json`)).json();
      expect(JSON.parse(readFileSync(join(dir, 'openapi.json'), 'utf8'))).toEqual(served);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('functional routes are under api.routes, by method and path', async () => {
    await expect(anonymous.routes['GET /hello']()).resolves.toEqual({ message: 'Hello, World!' });
  });
});
