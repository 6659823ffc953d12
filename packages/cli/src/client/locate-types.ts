import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** Where the client imports one of the server's values from, by type. */
export interface TypeImport {
  /** The name it is exported under. */
  exportName: string;
  /** The TypeScript source file. */
  source: string;
}

interface LoadedModule {
  filename: string;
  exports: unknown;
}

/**
 * Finds the compiled module that exports `value` among the modules the app's loading put in
 * `require.cache` (the app's own files before anything in node_modules).
 */
function exportingModule(value: Function, modules: readonly LoadedModule[]): { filename: string; exportName: string } | null {
  let found: { filename: string; exportName: string } | null = null;
  for (const mod of modules) {
    const exports = mod.exports;
    if (exports === null || (typeof exports !== 'object' && typeof exports !== 'function')) continue;
    const names = Object.keys(exports as object).filter((k) => (exports as Record<string, unknown>)[k] === value);
    // Its own name first: `export { UsersController }` over `export default UsersController`.
    const name = names.includes(value.name) ? value.name : names.find((n) => n !== 'default');
    if (name === undefined) continue;
    const inNodeModules = mod.filename.split(sep).includes('node_modules');
    if (!inNodeModules) return { filename: mod.filename, exportName: name };
    found ??= { filename: mod.filename, exportName: name };
  }
  return found;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The source file a compiled module came from: by its source map, else by tsconfig rootDir/outDir. */
export function sourceOf(compiled: string): string | null {
  if (/\.[cm]?tsx?$/.test(compiled) && !compiled.endsWith('.d.ts')) return compiled; // run from source (ts-node, tsx)
  const text = existsSync(compiled) ? readFileSync(compiled, 'utf8') : '';
  const mapUrl = /\/\/# sourceMappingURL=(?!data:)(\S+)\s*$/.exec(text)?.[1];
  for (const mapFile of [mapUrl && resolve(dirname(compiled), decodeURIComponent(mapUrl)), `${compiled}.map`]) {
    if (!mapFile || !existsSync(mapFile)) continue;
    const map = readJson(mapFile);
    const sources = map?.sources;
    if (!Array.isArray(sources) || typeof sources[0] !== 'string') continue;
    const root = typeof map!.sourceRoot === 'string' ? map!.sourceRoot : '';
    const source = resolve(dirname(mapFile), root, sources[0]);
    if (existsSync(source)) return source;
  }
  for (let dir = dirname(compiled); ; dir = dirname(dir)) {
    const options = readJson(resolve(dir, 'tsconfig.json'))?.compilerOptions as Record<string, unknown> | undefined;
    if (typeof options?.outDir === 'string') {
      const outDir = resolve(dir, options.outDir);
      const rootDir = resolve(dir, typeof options.rootDir === 'string' ? options.rootDir : '.');
      const inside = relative(outDir, compiled);
      if (!inside.startsWith('..') && !isAbsolute(inside)) {
        const base = resolve(rootDir, inside).replace(/\.([cm]?)js$/, '');
        for (const ext of ['.ts', '.tsx', '.mts', '.cts']) if (existsSync(base + ext)) return base + ext;
      }
    }
    if (dirname(dir) === dir) break;
  }
  // A published package: its declarations stand in for the source.
  const declarations = compiled.replace(/\.([cm]?)js$/, '.d.$1ts');
  return declarations !== compiled && existsSync(declarations) ? declarations : null;
}

function compiledFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = resolve(dir, entry.name);
    if (entry.isDirectory()) compiledFiles(path, out);
    else if (/\.[cm]?js$/.test(entry.name)) out.push(path);
  }
  return out;
}

/**
 * For ES modules, which leave no registry to search: the one compiled file under `root` that
 * declares a class or function of this name and exports it. Read as text, never run.
 */
function declaringFile(value: Function, root: string): { filename: string; exportName: string } | null {
  const name = value.name;
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return null;
  const n = name.replace(/\$/g, '\\$');
  const declares = new RegExp(`\\b(class|function\\*?)\\s+${n}\\b`);
  const exports = new RegExp(`export\\s+(class|(async\\s+)?function\\*?)\\s+${n}\\b|export\\s*\\{[^}]*\\b${n}\\b[^}]*\\}`);
  const found = compiledFiles(root).filter((file) => {
    const text = readFileSync(file, 'utf8');
    return declares.test(text) && exports.test(text);
  });
  return found.length === 1 ? { filename: found[0]!, exportName: name } : null;
}

/**
 * Finds the source module of a value: among the CommonJS modules the app's loading put in
 * `require.cache`, else (ES modules) the compiled file under `root` that declares and exports
 * it. Returns its import, or why there is none (a message that says how to fix it).
 */
export function locateType(value: Function, root: string): TypeImport | string {
  const modules = Object.values(require.cache).filter((m): m is NodeJS.Module => m !== undefined);
  const mod = exportingModule(value, modules) ?? declaringFile(value, root);
  if (mod === null) return `${value.name || 'a class'} is not exported by any module of the app: export it from its file (the client imports its type from there)`;
  const source = sourceOf(mod.filename);
  if (source === null) return `no TypeScript source found for ${mod.filename}: build with "sourceMap": true, or keep rootDir/outDir in tsconfig.json`;
  return { exportName: mod.exportName, source };
}

/** The specifier that imports `source` from a file at `out` (NodeNext style: `./x.js`). */
export function importSpecifier(out: string, source: string): string {
  const path = relative(dirname(out), source).split(sep).join('/').replace(/(\.d)?\.ts$|\.tsx$/, '.js').replace(/(\.d)?\.mts$/, '.mjs').replace(/(\.d)?\.cts$/, '.cjs');
  return path.startsWith('.') ? path : `./${path}`;
}
