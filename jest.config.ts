/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// TypeScript 7 has no JS compiler API, so ts-jest cannot run; swc compiles the tests with the
// same decorator semantics as tsc (legacy decorators + emitted design:* metadata).
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const project = (name: string, root: string, extra: Config = {}): Config => ({
  displayName: name,
  rootDir: `<rootDir>/${root}`,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', swc] },
  // Tests run against the sources, so `npm test` never sees a stale build.
  moduleNameMapper: {
    '^@cello/core$': '<rootDir>/../../packages/core/src/index.ts',
    '^@cello/redis$': '<rootDir>/../../packages/redis/src/index.ts',
    // Sources import './x.js' (NodeNext); under jest they resolve to './x.ts'.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  ...extra,
});

// PGlite's CommonJS build loads Node built-ins with `import()`, which jest's VM runs only under
// --experimental-vm-modules; swc compiles those calls to require(). (apps/example)
const pglite: Config = {
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
  transform: {
    '/@electric-sql/pglite/dist/.+\\.cjs$': ['@swc/jest', { ...swc, jsc: { ...swc.jsc, parser: { syntax: 'ecmascript' } } }],
    '^.+\\.(t|j)sx?$': ['@swc/jest', swc],
  },
};

const config: Config = {
  projects: [project('core', 'packages/core'), project('cli', 'packages/cli'), project('redis', 'packages/redis'), project('example', 'apps/example', pglite), project('bench', 'apps/bench')],
  testTimeout: 20000,
};

export default config;
