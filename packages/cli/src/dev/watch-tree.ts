import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface TreeWatcher {
  close(): void;
}

/**
 * Calls `onChange(path)` when something under `paths` changes. One non-recursive watcher per
 * folder, never per file: editors save by writing a new file and renaming it over the old one,
 * which silently ends a watch on the old file (and Node 20's recursive mode on Linux watches
 * files). Folders created later are picked up on the next event.
 */
export function watchTree(paths: readonly string[], onChange: (path: string) => void): TreeWatcher {
  const watchers = new Map<string, FSWatcher>();
  // A watched file is watched through its folder, filtered by name.
  const files = new Map<string, Set<string>>();
  const roots: string[] = [];

  for (const path of paths) {
    if (statSync(path).isDirectory()) roots.push(path);
    else {
      const names = files.get(dirname(path)) ?? new Set<string>();
      names.add(basename(path));
      files.set(dirname(path), names);
    }
  }

  const listen = (dir: string, filter?: Set<string>): void => {
    if (watchers.has(dir)) return;
    try {
      const watcher = watch(dir, (_event, name) => {
        if (name === null) return;
        const file = String(name);
        if (filter && !filter.has(file)) return;
        if (!filter) sync();
        onChange(join(dir, file));
      });
      // A folder removed under us ends its watcher with an error; the next sync forgets it.
      watcher.on('error', () => forget(dir));
      watchers.set(dir, watcher);
    } catch {
      // Gone between listing and watching: nothing to watch.
    }
  };

  const forget = (dir: string): void => {
    watchers.get(dir)?.close();
    watchers.delete(dir);
  };

  const sync = (): void => {
    const live = new Set<string>();
    for (const root of roots) for (const dir of listFolders(root)) live.add(dir);
    for (const dir of live) listen(dir);
    for (const dir of [...watchers.keys()]) if (!live.has(dir) && !files.has(dir)) forget(dir);
  };

  for (const [dir, names] of files) listen(dir, names);
  sync();
  return {
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function listFolders(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    out.push(dir);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(join(dir, entry.name));
    }
  };
  walk(root);
  return out;
}
