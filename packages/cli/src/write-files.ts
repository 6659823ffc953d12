import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError } from './cli-error.js';

export interface PlannedFile {
  /** Relative to the project root, with `/`. */
  path: string;
  content: string;
}

/**
 * Writes new files only. Every path is checked before the first write, so a refusal leaves the
 * project exactly as it was rather than half-generated.
 */
export function writeNewFiles(root: string, files: readonly PlannedFile[]): void {
  const existing = files.filter((f) => existsSync(join(root, f.path)));
  if (existing.length > 0) {
    const list = existing.map((f) => f.path).join(', ');
    throw new CliError(`${list} already ${existing.length > 1 ? 'exist' : 'exists'}; cello never overwrites files: remove ${existing.length > 1 ? 'them' : 'it'} or choose another name.`);
  }
  for (const file of files) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content, { flag: 'wx' });
  }
}
