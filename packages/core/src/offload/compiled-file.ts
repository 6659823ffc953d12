import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

export type CompiledFile = { readonly file: string } | { readonly problem: string };

function nearestTsconfig(from: string): string | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

// tsconfig.json may hold comments and trailing commas.
function readTsconfig(path: string): { rootDir?: unknown; outDir?: unknown } | undefined {
  try {
    const text = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\/|(^|[^:"])\/\/.*$/gm, '$1').replace(/,(\s*[}\]])/g, '$1');
    return (JSON.parse(text) as { compilerOptions?: { rootDir?: unknown; outDir?: unknown } }).compilerOptions ?? {};
  } catch {
    return undefined;
  }
}

const jsExtension: Record<string, string> = { '.ts': '.js', '.tsx': '.js', '.mts': '.mjs', '.cts': '.cjs' };

/**
 * The build of a TypeScript source file, by its project's `rootDir` and `outDir`: what a worker
 * thread loads when the main thread runs the sources (a test runner compiling in memory, a
 * TypeScript loader). A build older than the source would run other code than the app's, so it
 * is refused rather than used.
 */
export function compiledFile(source: string): CompiledFile {
  const tsconfig = nearestTsconfig(source);
  if (tsconfig === undefined) return { problem: 'no tsconfig.json above it names the build\'s outDir' };
  const options = readTsconfig(tsconfig);
  if (typeof options?.rootDir !== 'string' || typeof options.outDir !== 'string') {
    return { problem: `${tsconfig} does not set both compilerOptions.rootDir and outDir, so where its build is cannot be told` };
  }
  const base = dirname(tsconfig);
  const within = relative(resolve(base, options.rootDir), source);
  if (within.startsWith('..') || isAbsolute(within)) return { problem: `it is outside the rootDir of ${tsconfig}, so it is not part of the build` };
  const ext = /\.[cm]?tsx?$/.exec(within)![0];
  const file = join(resolve(base, options.outDir), within.slice(0, -ext.length) + jsExtension[ext]!);
  if (!existsSync(file)) return { problem: `its build ${file} does not exist: run \`npm run build\`` };
  if (statSync(file).mtimeMs < statSync(source).mtimeMs) return { problem: `its build ${file} is older than the source: run \`npm run build\`` };
  return { file };
}
