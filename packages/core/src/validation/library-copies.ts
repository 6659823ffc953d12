import { dirname, sep } from 'node:path';
import { celloError } from '../errors/cello-error.js';

// class-transformer keeps its decorators' metadata in a module-level registry, so a second copy
// of it (an app with its own node_modules next to a linked @cello/core) hides every @Type from
// Cello. class-validator shares a global registry, but two copies of different versions can
// still disagree. Node keeps each loaded CommonJS file in require.cache under its real path:
// two package folders there mean two copies.
type Library = 'class-transformer' | 'class-validator';

function ownFolder(name: Library): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** The folders of `name` that have files loaded, other than the one @cello/core reads. */
export function otherCopies(name: Library): string[] {
  const own = ownFolder(name);
  const cache = (typeof require === 'function' ? require.cache : undefined) ?? {};
  const marker = `${sep}node_modules${sep}${name}${sep}`;
  const out = new Set<string>();
  for (const file of Object.keys(cache)) {
    const at = file.lastIndexOf(marker);
    if (at < 0) continue;
    const folder = file.slice(0, at + marker.length - 1);
    if (folder !== own) out.add(folder);
  }
  return [...out];
}

/** Throws CELLO_ERR_VALIDATION_LIBRARY_COPIES when a second copy of one of the libraries is loaded. */
export function assertOneCopy(names: readonly Library[] = ['class-transformer', 'class-validator']): void {
  for (const name of names) {
    const others = otherCopies(name);
    if (others.length === 0) continue;
    throw celloError('CELLO_ERR_VALIDATION_LIBRARY_COPIES', [name, ownFolder(name) ?? '?', others.join(', '), name, name]);
  }
}
