import { createApp } from '../src/app';

describe('example app', () => {
  const app = createApp({ logger: false });
  afterAll(() => app.close());

  test('GET /hello says hello', async () => {
    const res = await app.inject({ method: 'GET', url: '/hello' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ message: 'Hello, World!' });
  });

  test('creates a user and reads it back', async () => {
    const created = await app.inject({ method: 'POST', url: '/users', payload: { name: 'Bob', age: 41 } });
    expect(created.statusCode).toBe(201);
    const { user } = created.json();
    expect(created.headers.location).toBe(`/users/${user.id}`);
    const read = await app.inject({ method: 'GET', url: `/users/${user.id}` });
    expect(read.json()).toEqual({ user: { id: user.id, name: 'Bob', age: 41 } });
  });

  test('rejects an invalid user with 422 and the failing field', async () => {
    const res = await app.inject({ method: 'POST', url: '/users', payload: { name: '', age: -1 } });
    expect(res.statusCode).toBe(422);
    expect(res.json().details.map((d: { path: string }) => d.path).sort()).toEqual(['age', 'name']);
  });

  test('an unknown user is 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/users/999' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'User not found' });
  });
});
