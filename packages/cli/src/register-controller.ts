/**
 * Adds `ClassName` to the first `controllers: [...]` array in an app module and imports it.
 * Returns the new source, or null when there is no such array (the caller then tells the user
 * to register the controller by hand rather than guessing where it goes).
 */
export function registerController(source: string, className: string, importPath: string): string | null {
  const match = /controllers\s*:\s*\[([^\]]*)\]/.exec(source);
  if (match === null) return null;
  const items = match[1]!;
  const existing = items.split(',').map((s) => s.trim()).filter(Boolean);
  let updated: string;
  if (existing.includes(className)) {
    updated = source;
  } else {
    const start = match.index + match[0].indexOf('[') + 1;
    const end = start + items.length;
    updated = source.slice(0, start) + appendItem(items, className) + source.slice(end);
  }
  return addImport(updated, `import { ${className} } from '${importPath}';`);
}

/** Keeps the array's layout: one line stays one line; one item per line stays that way. */
function appendItem(items: string, className: string): string {
  if (items.trim() === '') return className;
  if (items.includes('\n')) {
    const lines = items.replace(/\s+$/, '');
    const indent = /\n([ \t]*)\S[^\n]*$/.exec(lines)?.[1] ?? '  ';
    const trailing = items.slice(lines.length);
    return `${lines.endsWith(',') ? lines : `${lines},`}\n${indent}${className},${trailing}`;
  }
  const body = items.replace(/,?\s*$/, '');
  return `${body}, ${className}${items.slice(items.replace(/\s*$/, '').length)}`;
}

function addImport(source: string, statement: string): string {
  if (source.includes(statement)) return source;
  // After the last top-level import, so the new one sits with the others.
  const imports = [...source.matchAll(/^import[^;]*;[^\n]*\n/gm)];
  const last = imports[imports.length - 1];
  if (last === undefined) return `${statement}\n${source}`;
  const at = last.index! + last[0].length;
  return source.slice(0, at) + statement + '\n' + source.slice(at);
}
