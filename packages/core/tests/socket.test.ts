import { App, Controller, Get, Param } from '@cello/core';

@Controller('/users')
class UsersController {
  @Get('/{id}')
  get(@Param('id') id: number) {
    return { id };
  }
}

describe('a real socket', () => {
  let app: App;
  let url: string;

  beforeAll(async () => {
    app = new App({ controllers: [UsersController], logger: false });
    app.get('/hello', () => ({ message: 'Hello, World!' }));
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app.close();
  });

  test('listen() resolves to the http address it is bound to', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(url).port)).toBeGreaterThan(0);
  });

  test('serves a functional route over HTTP', async () => {
    const res = await fetch(`${url}/hello`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ message: 'Hello, World!' });
  });

  test('serves a controller route over HTTP', async () => {
    const res = await fetch(`${url}/users/12`);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 12 });
  });

  test('answers unknown routes with a JSON 404 over HTTP', async () => {
    const res = await fetch(`${url}/missing`);

    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

describe('close()', () => {
  test('is idempotent and stops serving', async () => {
    const app = new App({ logger: false });
    app.get('/hello', () => ({ message: 'Hello, World!' }));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    expect((await fetch(`${url}/hello`)).status).toBe(200);

    await app.close();
    await expect(app.close()).resolves.toBeUndefined();

    await expect(fetch(`${url}/hello`)).rejects.toThrow();
  });

  test('closing an app that never started resolves', async () => {
    const app = new App({ logger: false });

    await app.close();
    await expect(app.close()).resolves.toBeUndefined();
  });
});
