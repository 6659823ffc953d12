import { createApp } from '../src/app.js';

describe('items', () => {
  const app = createApp({ logger: false });
  const key = { 'x-api-key': 'test-key' };
  beforeAll(() => { process.env.API_KEY = 'test-key'; });
  afterAll(() => app.close());

  test('GET /health answers ok', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  test('GET /health/ready answers 200 while the app runs', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', checks: {} });
  });

  test('creates an item and reads it back', async () => {
    const created = await app.inject({ method: 'POST', url: '/items', headers: key, payload: { name: 'pen', price: 1.5 } });
    expect(created.statusCode).toBe(201);
    const { item } = created.json();
    const read = await app.inject({ method: 'GET', url: `/items/${item.id}` });
    expect(read.json()).toEqual({ item: { id: item.id, name: 'pen', price: 1.5 } });
  });

  test('rejects an invalid item with 422 and the failing fields', async () => {
    const res = await app.inject({ method: 'POST', url: '/items', headers: key, payload: { name: '', price: -1 } });
    expect(res.statusCode).toBe(422);
    expect(res.json().details.map((d: { path: string }) => d.path).sort()).toEqual(['name', 'price']);
  });

  test('writing without the API key is 403', async () => {
    const res = await app.inject({ method: 'POST', url: '/items', payload: { name: 'pen', price: 1.5 } });
    expect(res.statusCode).toBe(403);
  });

  test('an unknown item is 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/items/999' });
    expect(res.statusCode).toBe(404);
  });
});
