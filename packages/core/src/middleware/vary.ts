/**
 * `current` Vary header value with `value` added, unless it (or `*`) is already there. Built-ins
 * append rather than set: fastify's reply.header() replaces, so a handler's own Vary (or another
 * built-in's) would otherwise drop theirs and let a shared cache serve one client's answer to another.
 */
export function appendVary(current: unknown, value: string): string {
  const text = Array.isArray(current) ? current.join(', ') : current === undefined ? '' : String(current);
  if (text.split(',').some((v) => v.trim().toLowerCase() === value.toLowerCase() || v.trim() === '*')) return text;
  return text ? `${text}, ${value}` : value;
}
