import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { celloError, type CelloError } from './cello-error.js';

// With emitDecoratorMetadata, a decorated class's constructor parameter, method parameter and
// property types are evaluated when the class is defined (`__metadata("design:paramtypes",
// [Repo])`). A class declared further down the same file is then in its temporal dead zone
// and the module throws at load, before any of Cello runs: this only puts a name on the cause.
const deadZone = /^Cannot access '([^']+)' before initialization$/;
const location = /\(?((?:file:\/\/)?[^()\s]+):(\d+):\d+\)?$/;

/** The explanation of a ReferenceError thrown by emitted decorator metadata, or undefined for any other error. */
export function usedBeforeDeclaration(err: unknown): CelloError | undefined {
  if (!(err instanceof Error) || err.name !== 'ReferenceError') return undefined;
  const name = deadZone.exec(err.message)?.[1];
  const frame = (err.stack ?? '').split('\n').find((line) => line.trimStart().startsWith('at '));
  const where = frame === undefined ? null : location.exec(frame.trim());
  if (name === undefined || where === null) return undefined;
  const file = where[1]!.startsWith('file://') ? fileURLToPath(where[1]!) : where[1]!;
  const line = Number(where[2]);
  let source: string[];
  try {
    source = readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  // The compiled line (tsc: same line; swc: a few lines below `_ts_metadata("design:...`), or
  // under source maps the TypeScript line that declares the type.
  const compiled = /design:(?:paramtypes|type)/.test(source.slice(Math.max(0, line - 4), line).join('\n'));
  const declared = new RegExp(`:\\s*${name.replace(/[$]/g, '\\$')}\\b`).test(source[line - 1] ?? '');
  if (!compiled && !declared) return undefined;
  return celloError('CELLO_ERR_CLASS_USED_BEFORE_DECLARATION', [`${file}:${line}`, name, name]);
}

const installed = Symbol.for('cello.explainUsedBeforeDeclaration');

/**
 * Prints the explanation next to Node's own report when a module fails to load this way. A
 * monitor only: the process still fails as it would have, with the original error.
 */
export function explainUsedBeforeDeclaration(): void {
  const global = globalThis as Record<symbol, unknown>;
  if (global[installed] === true) return;
  global[installed] = true;
  process.on('uncaughtExceptionMonitor', (err) => {
    const explained = usedBeforeDeclaration(err);
    if (explained !== undefined) process.stderr.write(`${explained.name} [${explained.code}]: ${explained.message}\n\n`);
  });
}
