// Instruction counts kept between runs in instr-results.json: a full count takes about an
// hour, so a run limited with --targets/--scenarios (say Cello after a core change) replaces
// its own cells and the table is rendered from every cell's latest count.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { repoRoot } from '../paths.js';
import type { CellKey } from './results.js';

export interface StoredCount {
  /** The least of `runs`. */
  instructionsPerRequest: number;
  runs: number[];
  measured: string;
  /** The repository's commit when counted (`+dirty` with uncommitted changes). */
  commit: string;
}

export interface InstrStore {
  warmup: number;
  requests: number;
  cells: Partial<Record<CellKey, StoredCount>>;
}

export function readStore(file: string): InstrStore | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as InstrStore) : null;
}

export function writeStore(file: string, store: InstrStore): void {
  const cells = Object.fromEntries(Object.entries(store.cells).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(file, `${JSON.stringify({ ...store, cells }, null, 2)}\n`);
}

export function currentCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages', 'apps/bench/src'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return 'unknown';
  }
}
