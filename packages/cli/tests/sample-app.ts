import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import { linkNodeModules, tempDir } from './support';

/** A small Cello app, compiled the way tsc would (legacy decorators + design:* metadata). */
const appSource = `
import { writeFileSync } from 'node:fs';
import { App, Controller, Get, Param, Post } from '@cello/core';

export class AdminOnly {
  canActivate() { return true; }
}

export class ApiKeyGuard {
  constructor(readonly key: string) {}
  canActivate() { return true; }
}

@Controller('/users')
export class UsersController {
  @Get('/')
  list() { return { users: [] }; }

  @Get('/{id}', { guards: [AdminOnly, new ApiKeyGuard('k')] })
  get(@Param('id') id: string) { return { id }; }

  @Post('/')
  create() { return { created: true }; }
}

export function createApp() {
  const app = new App({ controllers: [UsersController], logger: process.env.APP_LOG === '1' });
  app.get('/hello/:name', () => 'hi');
  app.get('/pid', () => ({ pid: process.pid }));
  // Proves that cello routes runs no startup hook.
  app.onEvent('startup', () => { if (process.env.STARTUP_MARKER) writeFileSync(process.env.STARTUP_MARKER, 'started'); });
  app.onEvent('startup', () => { if (process.env.FAIL_STARTUP) throw new Error('database unreachable'); });
  return app;
}
`;

const mainSource = `
const { createApp } = require('./app.js');
const app = createApp();
// As the template and apps/example do: a failed start is reported and sets the exit code.
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).catch((err) => {
  console.error('failed to start:', err.message);
  process.exitCode = 1;
});
`;

/** A project folder with dist/app.js (exports createApp) and dist/main.js (listens on PORT). */
export function sampleApp(label: string): string {
  const dir = tempDir(label);
  mkdirSync(join(dir, 'dist'));
  const { code } = transformSync(appSource, {
    filename: 'app.ts',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  });
  writeFileSync(join(dir, 'dist', 'app.js'), code);
  writeFileSync(join(dir, 'dist', 'main.js'), mainSource);
  writeFileSync(join(dir, 'package.json'), '{ "name": "sample", "private": true }');
  linkNodeModules(dir);
  return dir;
}
