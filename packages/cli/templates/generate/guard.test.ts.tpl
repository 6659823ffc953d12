import { App, Controller, Get, Guards } from '@cello/core';
import { {{Pascal}}Guard } from '../src/guards/{{kebab}}.guard.js';

@Controller('/guarded')
class GuardedController {
  @Get('/') @Guards({{Pascal}}Guard)
  read() { return { ok: true }; }
}

describe('{{Pascal}}Guard', () => {
  const app = new App({ controllers: [GuardedController], logger: false });
  afterAll(() => app.close());

  test('lets a request through', async () => {
    const res = await app.inject({ method: 'GET', url: '/guarded' });
    expect(res.statusCode).toBe(200);
  });
});
