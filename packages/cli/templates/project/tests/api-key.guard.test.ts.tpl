import { App, Get, Controller, Guards } from '@cello/core';
import { ApiKeyGuard } from '../src/guards/api-key.guard.js';

@Controller('/secret')
class SecretController {
  @Get('/') @Guards(ApiKeyGuard)
  read() { return { secret: 42 }; }
}

describe('ApiKeyGuard', () => {
  const app = new App({ controllers: [SecretController], logger: false });
  beforeAll(() => { process.env.API_KEY = 's3cret'; });
  afterAll(() => app.close());

  test('lets the right key through', async () => {
    const res = await app.inject({ method: 'GET', url: '/secret', headers: { 'x-api-key': 's3cret' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ secret: 42 });
  });

  test('answers 403 to a wrong or missing key', async () => {
    expect((await app.inject({ method: 'GET', url: '/secret', headers: { 'x-api-key': 'nope' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/secret' })).statusCode).toBe(403);
  });
});
