import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A fingerprint of the emitted JavaScript (names, sizes, mtimes). tsc -b exits 0 also when
 * nothing changed (a file saved as it was); comparing fingerprints avoids a needless restart.
 */
export function fingerprint(dir: string): string {
  const parts: string[] = [];
  const walk = (current: string): void => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(c|m)?js$/.test(entry.name)) {
        const stat = statSync(full, { throwIfNoEntry: false });
        if (stat) parts.push(`${full}:${stat.size}:${stat.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return parts.sort().join('\n');
}
