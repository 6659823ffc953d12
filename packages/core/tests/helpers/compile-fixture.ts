import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { transformSync } from '@swc/core';

/**
 * Compiles a TypeScript fixture to CommonJS (or an ES module) next to it (`dist/`, ignored by git), with the
 * decorator settings of tsc and jest's swc. Jest compiles in memory, but a worker thread is
 * plain Node: code it must load (an @Offload controller) has to exist as JavaScript, as in an
 * app's build. The output resolves `@cello/core` like an app does (node_modules: the build of
 * the package, so run `npm run build` first); the test loads the same file through jest.
 */
export function compileFixture(source: string, format: 'commonjs' | 'esm' = 'commonjs'): string {
  const out = join(dirname(source), 'dist', basename(source).replace(/\.ts$/, '.js'));
  const { code } = transformSync(readFileSync(source, 'utf8'), {
    filename: source,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: format === 'esm' ? 'es6' : 'commonjs' },
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  if (format === 'esm') writeFileSync(join(dirname(out), 'package.json'), '{ "type": "module" }\n');
  return out;
}
