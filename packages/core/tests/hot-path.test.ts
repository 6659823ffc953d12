import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// Metadata is read once, at startup, by the scanner; nothing that runs per request may read it.
// These are the only places allowed to touch reflect-metadata, and none of them runs per request.
const startupOnly = new Set([
  'index.ts', // the polyfill check
  'di/check-constructor-graph.ts',
  'lifecycle/known-services.ts',
  'validation/dto-schema.ts',
]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('no code outside metadata/ and a few startup-only files reads reflect-metadata', () => {
  const src = join(__dirname, '../src');
  const offenders = sources(src)
    .map((file) => relative(src, file))
    .filter((file) => !file.startsWith('metadata/') && !startupOnly.has(file))
    .filter((file) => /Reflect\.(getMetadata|getOwnMetadata|hasMetadata|defineMetadata)/.test(readFileSync(join(src, file), 'utf8')));
  expect(offenders).toEqual([]);
});

test('design:paramtypes is read in exactly one file', () => {
  const src = join(__dirname, '../src');
  const readers = sources(src).filter((file) => readFileSync(file, 'utf8').includes("'design:paramtypes'"));
  expect(readers.map((f) => relative(src, f))).toEqual(['metadata/design-types.ts']);
});
