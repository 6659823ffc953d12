import { App, Controller, Post } from '@cello/core';
import { {{Pascal}}Dto } from '../src/dtos/{{kebab}}.dto.js';

@Controller('/echo')
class EchoController {
  @Post('/')
  echo(body: {{Pascal}}Dto) {
    return body;
  }
}

describe('{{Pascal}}Dto', () => {
  const app = new App({ controllers: [EchoController], logger: false });
  afterAll(() => app.close());

  test('a valid body passes, unknown properties stripped', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'a', extra: 1 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'a' });
  });

  test('an invalid body is 422', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { name: '' } });
    expect(res.statusCode).toBe(422);
  });
});
