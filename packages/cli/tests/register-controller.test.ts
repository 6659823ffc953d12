import { registerController } from '../src/register-controller';

const imp = "import { UsersController } from './controllers/users.controller.js';";

describe('registerController', () => {
  test('adds to a one-line array and imports after the last import', () => {
    const source = "import { App } from '@cello/core';\nimport { A } from './a.js';\n\nnew App({ controllers: [A] });\n";
    expect(registerController(source, 'UsersController', './controllers/users.controller.js')).toBe(
      `import { App } from '@cello/core';\nimport { A } from './a.js';\n${imp}\n\nnew App({ controllers: [A, UsersController] });\n`,
    );
  });

  test('fills an empty array', () => {
    const out = registerController("import { App } from '@cello/core';\nnew App({ controllers: [] });\n", 'UsersController', './controllers/users.controller.js');
    expect(out).toContain('controllers: [UsersController]');
  });

  test('keeps one item per line', () => {
    const source = "import { App } from '@cello/core';\nnew App({\n  controllers: [\n    A,\n    B\n  ],\n});\n";
    expect(registerController(source, 'UsersController', './controllers/users.controller.js')).toContain(
      'controllers: [\n    A,\n    B,\n    UsersController,\n  ],',
    );
  });

  test('is idempotent', () => {
    const once = registerController("import { App } from '@cello/core';\nnew App({ controllers: [A] });\n", 'UsersController', './controllers/users.controller.js')!;
    expect(registerController(once, 'UsersController', './controllers/users.controller.js')).toBe(once);
  });

  test('returns null when there is no controllers array', () => {
    expect(registerController('const app = new App();\n', 'UsersController', './x.js')).toBeNull();
  });
});
