import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { celloError, userFrames } from '../errors/cello-error.js';
import { compiledFile } from './compiled-file.js';
import type { ModuleRef } from './task.js';

// A stack frame's file: `at fn (/a/b.js:1:2)`, `at /a/b.js:1:2`, or a file:// URL (ESM).
const frameFile = /\(?((?:file:\/\/)?[^\s()]+?):\d+:\d+\)?$/;
// Helpers that apply decorators from a package (tslib, @swc/helpers), not the user's module.
const helperFrame = /[\\/]node_modules[\\/]|^node:|\(node:/;
const typeScript = /\.[cm]?tsx?$/;

/** The file of the first frame in `site` that is the user's code: where the decorator ran. */
export function siteFile(site: Error): string | undefined {
  for (const line of userFrames(site)) {
    if (helperFrame.test(line)) continue;
    const match = frameFile.exec(line.trim());
    if (!match) continue;
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (existsSync(file)) return file;
  }
  return undefined;
}

function exportNameIn(exports: unknown, ctor: Function): string | undefined {
  if ((typeof exports !== 'object' && typeof exports !== 'function') || exports === null) return undefined;
  if (exports === ctor) return 'default';
  for (const key of Object.keys(exports)) {
    try {
      if ((exports as Record<string, unknown>)[key] === ctor) return key;
    } catch {
      // A getter that throws is not the class.
    }
  }
  return undefined;
}

// CommonJS: the module that exports the class is in require.cache (under jest, its registry).
function fromRequireCache(ctor: Function): ModuleRef | undefined {
  try {
    for (const mod of Object.values(require.cache)) {
      if (mod === undefined || mod.filename === undefined) continue;
      const exportName = exportNameIn(mod.exports, ctor);
      if (exportName !== undefined) return { file: mod.filename, exportName };
    }
  } catch {
    // A runtime without a usable require.cache: the decorator's file decides.
  }
  return undefined;
}

async function loadedExports(file: string): Promise<unknown[]> {
  const found: unknown[] = [];
  try {
    found.push(require(file));
  } catch {
    // An ES module (before Node 22), or a runtime with no require of files: try import().
  }
  try {
    const ns = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    found.push(ns, ns.default);
  } catch {
    // Where import() is not available (jest without VM modules), require decided.
  }
  return found;
}

// The worker loads the module: the entry file would run again there, starting a second app.
function checkNotEntry(file: string, ctor: Function, site: Error, label: string): void {
  if (!isEntry(file)) return;
  throw celloError('CELLO_ERR_OFFLOAD_MODULE', [label, `${ctor.name} is defined in the entry file ${file}, which a worker thread would run again (starting the app there too). Move the controller to a module of its own`], { site });
}

function isEntry(file: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(file);
  } catch {
    return false;
  }
}

/**
 * Where a worker thread can load `ctor` from: the compiled module that defines it, and its
 * export name. Found by identity among what the process has loaded, so a re-export elsewhere
 * cannot mislead it; the route decorator's call site gives the file when no cache knows it.
 */
export async function locateController(ctor: Function, site: Error, label: string): Promise<ModuleRef> {
  const cached = fromRequireCache(ctor);
  if (cached !== undefined) {
    checkNotEntry(cached.file, ctor, site, label);
    return { file: loadableFile(cached.file, ctor, site, label), exportName: cached.exportName };
  }
  const file = siteFile(site);
  if (file === undefined) {
    throw celloError('CELLO_ERR_OFFLOAD_MODULE', [label, `no module file for ${ctor.name} was found (not in require.cache, nor in the stack of its route decorator)`], { site });
  }
  // Before loading it: an ES entry module still running its top-level await would wait for itself.
  checkNotEntry(file, ctor, site, label);
  const loadable = loadableFile(file, ctor, site, label);
  for (const exports of await loadedExports(file)) {
    const exportName = exportNameIn(exports, ctor);
    if (exportName !== undefined) return { file: loadable, exportName };
  }
  throw celloError('CELLO_ERR_OFFLOAD_NOT_EXPORTED', [label, ctor.name, file, ctor.name], { site });
}

// When the main thread runs TypeScript sources (a test runner, a loader), the worker runs their build.
function loadableFile(file: string, ctor: Function, site: Error, label: string): string {
  if (!typeScript.test(file)) return file;
  const built = compiledFile(file);
  if ('problem' in built) {
    throw celloError('CELLO_ERR_OFFLOAD_MODULE', [label, `${ctor.name} comes from the TypeScript source ${file}, and a worker thread runs plain JavaScript: ${built.problem}`], { site });
  }
  return built.file;
}
