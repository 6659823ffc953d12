import { App } from '@cello/core';
import { {{camel}}Middleware } from '../src/middleware/{{kebab}}.middleware.js';

describe('{{camel}}Middleware', () => {
  const app = new App({ logger: false });
  app.use({{camel}}Middleware);
  app.get('/wrapped', () => ({ from: 'handler' }));
  afterAll(() => app.close());

  test('passes the handler result through', async () => {
    const res = await app.inject({ method: 'GET', url: '/wrapped' });
    expect(res.json()).toEqual({ from: 'handler' });
  });
});
