import type { App } from '@cello/core';
import { Writable } from 'node:stream';
import { decodeJwt } from 'jose';
import { createApp } from '../../src/app';
import { configFromEnv, type ExampleConfig } from '../../src/config';
import type { Database } from '../../src/db/database';
import { migrate } from '../../src/db/migrate';
import type { OrderView } from '../../src/services/order-service';
import { signBody } from '../../src/auth/webhook-signature';
import { eventually } from './eventually';

export interface FlowOptions {
  /** Database settings for this backend; everything else comes from the dev defaults. */
  database: Pick<ExampleConfig, 'databaseUrl' | 'databaseSchema'>;
  /** Runs after the app has closed (e.g. drop the test schema). */
  cleanup?: () => Promise<void>;
}

interface Call {
  token?: string;
  payload?: unknown;
  headers?: Record<string, string>;
  remoteAddress?: string;
}

const webhookSecret = 'test-webhook-secret';

/**
 * The whole example over HTTP against one backend: sign in, items (guard, validation, cache),
 * orders (background tasks), profile (dependency chain), users, webhooks, limits, a real socket.
 * The tests in it run in order and build on each other, as a user's session would.
 */
export function describeFlow(backend: string, options: FlowOptions): void {
  describe(`example app on ${backend}`, () => {
    const config: ExampleConfig = { ...configFromEnv({}), ...options.database, webhookSecret };
    let app: App;
    let db: Database;
    const tokens: Record<'alice' | 'bob', string> = { alice: '', bob: '' };
    const accessLog: Record<string, unknown>[] = [];
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        accessLog.push(...chunk.toString().split('\n').filter(Boolean).map((line) => JSON.parse(line)));
        done();
      },
    });

    const call = (method: string, url: string, { token, payload, headers = {}, remoteAddress }: Call = {}) =>
      app.inject({
        method: method as 'GET',
        url,
        payload: payload as string,
        remoteAddress,
        headers: token === undefined ? headers : { ...headers, authorization: `Bearer ${token}` },
      });

    beforeAll(async () => {
      app = createApp({ config, logger: false, accessLog: { stream: logStream }, handleSignals: false });
      db = app.state.db as Database;
      await app.ready(); // opens the database, migrates, seeds; PGlite's first start takes seconds
    }, 180_000);

    afterAll(async () => {
      await app?.close();
      await options.cleanup?.();
    }, 60_000);

    test('the schema is migrated once: a second run applies nothing', async () => {
      expect(db.backend).toBe(backend === 'PostgreSQL' ? 'postgres' : 'pglite');
      await expect(migrate(db)).resolves.toEqual([]);
    });

    test('GET /health and GET /version answer without a token', async () => {
      const health = await call('GET', '/health');
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ status: 'ok' });
      const version = await call('GET', '/version');
      expect(version.statusCode).toBe(200);
      expect(version.json()).toEqual({ name: '@cello/example', version: expect.any(String), cello: expect.any(String), node: process.version });
    });

    test('POST /auth/token signs in the demo users and refuses wrong passwords', async () => {
      for (const [username, password, role] of [['alice', 'wonderland', 'editor'], ['bob', 'builder', 'viewer']] as const) {
        const res = await call('POST', '/auth/token', { payload: { username, password } });
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
        expect(decodeJwt(body.access_token)).toMatchObject({ username, roles: [role], iss: 'cello-example' });
        tokens[username] = body.access_token;
      }
      const wrong = await call('POST', '/auth/token', { payload: { username: 'alice', password: 'nope' } });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().message).toBe('Wrong username or password');
      const unknown = await call('POST', '/auth/token', { payload: { username: 'mallory', password: 'wonderland' } });
      expect(unknown.statusCode).toBe(401);
      expect((await call('POST', '/auth/token', { payload: { username: 'alice' } })).statusCode).toBe(422);
    });

    test('the demo users are stored with scrypt hashes, not their passwords', async () => {
      const rows = await db.query<{ username: string; password_hash: string }>('SELECT username, password_hash FROM users ORDER BY username');
      expect(rows.map((r) => r.username)).toEqual(['alice', 'bob']);
      for (const row of rows) {
        expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
        expect(row.password_hash).not.toContain('wonderland');
        expect(row.password_hash).not.toContain('builder');
      }
    });

    test('GET /profile resolves the user through getDb -> getCurrentUser, and needs a token', async () => {
      const anonymous = await call('GET', '/profile');
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['www-authenticate']).toBe('Bearer');
      const forged = await call('GET', '/profile', { token: `${tokens.alice.slice(0, -4)}AAAA` });
      expect(forged.statusCode).toBe(401); // refused by enableJwt before the dependency runs

      const res = await call('GET', '/profile', { token: tokens.alice });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ id: expect.any(Number), username: 'alice', name: 'Alice Liddell', email: 'alice@example.com', role: 'editor', orders: 0 });
    });

    test('GET /profile gives its connection back after each request', async () => {
      // pg's pool has 10 connections: a leak would make the later requests time out.
      for (let i = 0; i < 25; i++) {
        expect((await call('GET', '/profile', { token: tokens.bob })).statusCode).toBe(200);
      }
    });

    test('GET /users and GET /users/{id} read from the database, never the password hash', async () => {
      const list = await call('GET', '/users');
      expect(list.statusCode).toBe(200);
      const { users } = list.json();
      expect(users.map((u: { username: string }) => u.username)).toEqual(['alice', 'bob']);
      expect(JSON.stringify(users)).not.toContain('scrypt');

      const one = await call('GET', `/users/${users[1].id}`);
      expect(one.json()).toEqual({ user: { id: users[1].id, username: 'bob', name: 'Bob Builder', email: 'bob@example.com', role: 'viewer' } });
      expect((await call('GET', '/users/99999')).statusCode).toBe(404);
      expect((await call('GET', '/users/99999999999')).statusCode).toBe(404);
      expect((await call('GET', '/users/abc')).statusCode).toBe(422);
    });

    const pen = { sku: 'pen', name: 'Pen', price: 1.5, stock: 10 };

    test('POST /items: editors only (RoleGuard), validated body, unique sku', async () => {
      expect((await call('POST', '/items', { payload: pen })).statusCode).toBe(401);
      const asBob = await call('POST', '/items', { token: tokens.bob, payload: pen });
      expect(asBob.statusCode).toBe(403);

      const created = await call('POST', '/items', { token: tokens.alice, payload: { ...pen, extra: 'stripped' } });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toEqual({ id: expect.any(Number), ...pen });

      const invalid = await call('POST', '/items', { token: tokens.alice, payload: { sku: 'Bad SKU', name: '', price: -1, stock: 1.5 } });
      expect(invalid.statusCode).toBe(422);
      expect(invalid.json().details.map((d: { path: string }) => d.path).sort()).toEqual(['name', 'price', 'sku', 'stock']);
      // A viewer is refused before validation: bob learns nothing about the body's shape.
      expect((await call('POST', '/items', { token: tokens.bob, payload: { sku: 'Bad SKU' } })).statusCode).toBe(403);

      const duplicate = await call('POST', '/items', { token: tokens.alice, payload: pen });
      expect(duplicate.statusCode).toBe(409);
    });

    test('GET /items is cached until POST /items invalidates the items tag', async () => {
      const first = await call('GET', '/items');
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({ items: [{ id: expect.any(Number), ...pen }] });
      expect(first.headers['cache-control']).toBe('public, max-age=60');

      // Changed behind the app's back: the cached answer does not see it...
      await db.query(`UPDATE items SET name = 'Blue pen' WHERE sku = 'pen'`);
      const hit = await call('GET', '/items');
      expect(hit.headers.age).toBeDefined();
      expect(hit.json().items[0].name).toBe('Pen');
      expect((await call('GET', '/items', { headers: { 'if-none-match': String(first.headers.etag) } })).statusCode).toBe(304);

      // ...until a write through the API drops the entry.
      const notebook = { sku: 'notebook', name: 'Notebook', price: 3.25, stock: 5 };
      expect((await call('POST', '/items', { token: tokens.alice, payload: notebook })).statusCode).toBe(201);
      const fresh = await call('GET', '/items');
      expect(fresh.headers.age).toBeUndefined();
      expect(fresh.json().items.map((i: { sku: string; name: string }) => [i.sku, i.name])).toEqual([['notebook', 'Notebook'], ['pen', 'Blue pen']]);
    });

    let orderId: number;

    test('POST /orders answers 201 at once; the background tasks confirm it and take the stock', async () => {
      const res = await call('POST', '/orders', { token: tokens.bob, payload: { items: [{ sku: 'pen', qty: 2 }] } });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toEqual({ order_id: expect.any(Number), status: 'created' });
      orderId = body.order_id;
      expect(res.headers.location).toBe(`/orders/${orderId}`);

      const order = await eventually(async () => {
        const read = await call('GET', `/orders/${orderId}`, { token: tokens.bob });
        expect(read.statusCode).toBe(200);
        const view = read.json();
        return view.confirmation_sent && view.items[0].stock_left === 8 ? view : undefined;
      }, 'the confirmation and the stock update');
      expect(order).toEqual({ id: orderId, status: 'created', confirmation_sent: true, items: [{ sku: 'pen', qty: 2, stock_left: 8 }] });

      const [mail] = await db.query<{ recipient: string; subject: string; body: string }>('SELECT recipient, subject, body FROM outbox WHERE order_id = $1', [orderId]);
      expect(mail).toEqual({ recipient: 'bob@example.com', subject: `Order #${orderId} confirmed`, body: expect.stringContaining('2 x Blue pen (pen)') });
      expect((await call('GET', '/profile', { token: tokens.bob })).json().orders).toBe(1);
    });

    test('POST /orders refuses bad orders, and GET /orders/{id} shows only your own', async () => {
      expect((await call('POST', '/orders', { payload: { items: [{ sku: 'pen', qty: 1 }] } })).statusCode).toBe(401);
      const empty = await call('POST', '/orders', { token: tokens.bob, payload: { items: [] } });
      expect(empty.statusCode).toBe(422);
      const badLine = await call('POST', '/orders', { token: tokens.bob, payload: { items: [{ sku: 'pen', qty: 0 }] } });
      expect(badLine.statusCode).toBe(422);
      expect(badLine.json().details[0].path).toBe('items[0].qty');
      const unknown = await call('POST', '/orders', { token: tokens.bob, payload: { items: [{ sku: 'quill', qty: 1 }] } });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json().details).toEqual([{ path: 'items', messages: ['no item with sku "quill"'] }]);
      const tooMany = await call('POST', '/orders', { token: tokens.bob, payload: { items: [{ sku: 'pen', qty: 5 }, { sku: 'pen', qty: 5 }] } });
      expect(tooMany.statusCode).toBe(409);

      expect((await call('GET', `/orders/${orderId}`, { token: tokens.alice })).statusCode).toBe(404);
      expect((await call('GET', `/orders/${orderId}`)).statusCode).toBe(401);
      expect((await call('GET', '/orders/424242', { token: tokens.bob })).statusCode).toBe(404);
    });

    test('POST /webhooks stores events whose HMAC signature matches the raw body', async () => {
      const text = JSON.stringify({ id: 'evt_1', type: 'payment.succeeded', data: { amount: 300 } });
      const send = (body: string, signature?: string) =>
        call('POST', '/webhooks', {
          payload: body,
          headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-signature': signature }) },
        });

      const good = await send(text, signBody(webhookSecret, text));
      expect(good.statusCode).toBe(202);
      expect(good.json()).toEqual({ received: true, id: expect.any(Number), duplicate: false });
      const retried = await send(text, signBody(webhookSecret, text));
      expect(retried.json()).toEqual({ received: true, id: good.json().id, duplicate: true });
      const [stored] = await db.query<{ type: string; payload: unknown }>('SELECT type, payload FROM webhook_events WHERE id = $1', [good.json().id]);
      expect(stored).toEqual({ type: 'payment.succeeded', payload: { id: 'evt_1', type: 'payment.succeeded', data: { amount: 300 } } });

      expect((await send(text)).statusCode).toBe(401);
      expect((await send(text, signBody('another secret', text))).statusCode).toBe(401);
      const tampered = text.replace('300', '30000');
      expect((await send(tampered, signBody(webhookSecret, text))).statusCode).toBe(401);
      // Same JSON, other bytes: the signature is over the raw text, so this is refused too.
      expect((await send(` ${text}`, signBody(webhookSecret, text))).statusCode).toBe(401);
      const signedButInvalid = JSON.stringify({ data: {} });
      expect((await send(signedButInvalid, signBody(webhookSecret, signedButInvalid))).statusCode).toBe(422);
      const [{ count }] = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM webhook_events');
      expect(count).toBe(1);
    });

    test('POST /reports/forecast runs on a worker thread (@Offload): validated here, computed there', async () => {
      const body = { weeklySales: [12, 15, 9, 20, 14, 11, 17, 13], weeks: 4, simulations: 5000 };
      const first = await call('POST', '/reports/forecast', { payload: body, remoteAddress: '10.0.0.40' });
      const again = await call('POST', '/reports/forecast', { payload: body, remoteAddress: '10.0.0.40' });
      const bad = await call('POST', '/reports/forecast', { payload: { ...body, weeks: 0 }, remoteAddress: '10.0.0.40' });

      expect(first.statusCode).toBe(200);
      const forecast = first.json();
      expect(forecast).toMatchObject({ weeks: 4, simulations: 5000 });
      expect(36 <= forecast.p10 && forecast.p10 <= forecast.p50 && forecast.p50 <= forecast.p90 && forecast.p90 <= 80).toBe(true);
      expect(again.json()).toEqual(forecast); // seeded by the data: the same answer from any thread
      expect(bad.statusCode).toBe(422);
      expect(bad.json().details).toEqual([{ path: 'weeks', messages: ['weeks must not be less than 1'] }]);
    });

    test('CORS, rate limit headers, and a stricter limit on signing in', async () => {
      const res = await call('GET', '/items', { headers: { origin: 'https://shop.example' } });
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['ratelimit-limit']).toBe('300');

      // From an address of its own, so this does not eat the other tests' budget.
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        statuses.push((await call('POST', '/auth/token', { payload: {}, remoteAddress: '10.9.8.7' })).statusCode);
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(422));
      expect(statuses[10]).toBe(429);
    });

    test('GET /openapi.json documents the API, and /docs serves the page', async () => {
      const doc = (await call('GET', '/openapi.json')).json();
      expect(doc.openapi).toMatch(/^3\.1/);
      expect(doc.info.title).toBe('Cello example shop');
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/items', '/orders', '/orders/{id}', '/auth/token', '/users/{id}']));
      expect(doc.paths['/items'].post.requestBody.content['application/json'].schema).toBeDefined();
      expect(doc.paths['/items'].post.security).toEqual([{ bearerAuth: [] }]);
      const page = await call('GET', '/docs');
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
    });

    test('every request gets one access log line, without its token', () => {
      const profile = accessLog.find((line) => line.path === '/profile' && line.statusCode === 200);
      expect(profile).toMatchObject({ method: 'GET', path: '/profile', statusCode: 200, userId: expect.any(String) });
      expect(accessLog.find((line) => line.path === '/auth/token' && line.statusCode === 429)).toBeDefined();
      expect(JSON.stringify(accessLog)).not.toContain(tokens.alice);
    });

    test('GET /metrics counts the requests above by route pattern, never by raw URL', async () => {
      const res = await call('GET', '/metrics');
      expect(res.statusCode).toBe(200);
      const metrics = res.body;
      const value = (series: string): number => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
      expect(value('cello_http_requests_total{method="GET",route="/items",status="200",service="cello-example"}')).toBeGreaterThanOrEqual(2);
      expect(value('cello_cache_hits_total{route="/items",service="cello-example"}')).toBeGreaterThanOrEqual(1);
      expect(value('cello_rate_limit_rejections_total{method="POST",route="/auth/token",service="cello-example"}')).toBeGreaterThanOrEqual(1);
      expect(value('cello_http_requests_total{method="GET",route="/users/:id",status="200",service="cello-example"}')).toBeGreaterThanOrEqual(1);
      expect(metrics).not.toMatch(/route="\/users\/\d/);
    });

    test('over a real socket: the README walkthrough with fetch', async () => {
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const post = (path: string, body: unknown, token?: string) =>
        fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        });

      const { access_token: token } = (await (await post('/auth/token', { username: 'alice', password: 'wonderland' })).json()) as { access_token: string };
      expect((await post('/items', { sku: 'ink', name: 'Ink', price: 4, stock: 3 }, token)).status).toBe(201);
      const created = await post('/orders', { items: [{ sku: 'ink', qty: 1 }, { sku: 'notebook', qty: 2 }] }, token);
      expect(created.status).toBe(201);
      const { order_id: id } = (await created.json()) as { order_id: number };

      const order = await eventually(async () => {
        const res = await fetch(`${base}/orders/${id}`, { headers: { authorization: `Bearer ${token}` } });
        const view = (await res.json()) as OrderView;
        return view.confirmation_sent && view.items.every((i) => i.stock_left < 5) ? view : undefined;
      }, 'the order to be confirmed');
      expect(order.items).toEqual([{ sku: 'ink', qty: 1, stock_left: 2 }, { sku: 'notebook', qty: 2, stock_left: 3 }]);
      expect(await (await fetch(`${base}/hello`)).json()).toEqual({ message: 'Hello, World!' });
    });

    // Last: it closes the database under the running app.
    test('GET /health/ready checks the database, and answers 503 naming it once it is gone', async () => {
      const ready = await call('GET', '/health/ready');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ok', checks: { db: { status: 'ok', durationMs: expect.any(Number) } } });
      for (const probe of ['/health/live', '/health/startup']) expect((await call('GET', probe)).json()).toEqual({ status: 'ok' });

      await db.close(); // the shutdown hook later finds nothing to close
      const down = await call('GET', '/health/ready');
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ status: 'error', checks: { db: { status: 'error', durationMs: expect.any(Number) } } });
      expect((await call('GET', '/health/live')).statusCode).toBe(200);
    });
  });
}
