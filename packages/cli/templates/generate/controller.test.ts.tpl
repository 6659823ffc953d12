import { App } from '@cello/core';
import { {{Pascal}}Controller } from '../src/controllers/{{kebab}}.controller.js';

describe('{{Pascal}}Controller', () => {
  const app = new App({ controllers: [{{Pascal}}Controller], logger: false });
  afterAll(() => app.close());

  test('GET /{{kebab}} lists items', async () => {
    const res = await app.inject({ method: 'GET', url: '/{{kebab}}' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [] });
  });

  test('an unknown id is 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/{{kebab}}/1' });
    expect(res.statusCode).toBe(404);
  });
});
