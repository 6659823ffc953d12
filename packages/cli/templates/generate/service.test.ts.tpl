import { App } from '@cello/core';
import { {{Pascal}}Service } from '../src/services/{{kebab}}.service.js';

describe('{{Pascal}}Service', () => {
  // Resolved from an app's container, as a controller would get it.
  const app = new App({ logger: false });
  afterAll(() => app.close());

  test('findAll starts empty', () => {
    expect(app.container.resolve({{Pascal}}Service).findAll()).toEqual([]);
  });
});
