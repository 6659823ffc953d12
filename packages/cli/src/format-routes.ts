/** One route as `cello routes` shows it; every field is already display-ready. */
export interface RouteRow {
  /** 'http', 'websocket' (`@WebSocket`) or 'sse' (`@Sse`). */
  kind: string;
  methods: string[];
  path: string;
  handler: string;
  guards: string[];
  cache: { ttl: number; tags: string[] } | null;
  invalidates: string[] | null;
  rateLimit: { requests: number; window: number; algorithm?: string } | 'off' | null;
}

type Loose = Record<string, unknown>;

/**
 * Reads a route table row defensively: fields a newer or older @cello/core may add or lack
 * (`cache`, `rateLimit`, `invalidateTags`) show as absent rather than crash the listing.
 */
export function toRow(def: unknown): RouteRow {
  const d = def as Loose;
  const cache = d.cache as Loose | null | undefined;
  const rate = d.rateLimit as Loose | false | null | undefined;
  return {
    kind: typeof d.kind === 'string' ? d.kind : 'http',
    methods: Array.isArray(d.methods) ? d.methods.map(String) : [],
    // fastify's `:id` shown in the `{id}` form users write.
    path: String(d.path ?? '').replace(/:([A-Za-z0-9_]+)/g, '{$1}'),
    handler: String(d.handlerName ?? '?'),
    guards: Array.isArray(d.guards) ? d.guards.map(guardName) : [],
    cache: cache ? { ttl: Number(cache.ttl), tags: Array.isArray(cache.tags) ? cache.tags.map(String) : [] } : null,
    invalidates: Array.isArray(d.invalidateTags) && d.invalidateTags.length > 0 ? d.invalidateTags.map(String) : null,
    rateLimit: rate === false ? 'off'
      : rate ? { requests: Number(rate.requests), window: Number(rate.window), ...(rate.algorithm ? { algorithm: String(rate.algorithm) } : {}) }
      : null,
  };
}

/** A guard is given as a class or as an instance; either way its class name identifies it. */
function guardName(guard: unknown): string {
  if (typeof guard === 'function') return guard.name || '(anonymous)';
  if (typeof guard === 'object' && guard !== null) return guard.constructor?.name || 'Object';
  return String(guard);
}

function cacheCell(row: RouteRow): string {
  const parts: string[] = [];
  if (row.cache) parts.push(`${row.cache.ttl}s${row.cache.tags.length ? ` [${row.cache.tags.join(', ')}]` : ''}`);
  if (row.invalidates) parts.push(`invalidates [${row.invalidates.join(', ')}]`);
  return parts.length ? parts.join('; ') : '-';
}

function rateCell(row: RouteRow): string {
  if (row.rateLimit === null) return '-';
  if (row.rateLimit === 'off') return 'off';
  const { requests, window, algorithm } = row.rateLimit;
  return `${requests}/${window}s${algorithm ? ` ${algorithm}` : ''}`;
}

// A WebSocket route is a GET that upgrades, an SSE route a GET that streams: shown as what they are.
function methodCell(row: RouteRow): string {
  if (row.kind === 'websocket') return 'WS';
  if (row.kind === 'sse') return 'SSE';
  return row.methods.join(',');
}

export function formatTable(rows: readonly RouteRow[]): string {
  if (rows.length === 0) return 'No routes.';
  const header = ['METHOD', 'PATH', 'HANDLER', 'GUARDS', 'CACHE', 'RATE LIMIT'];
  const cells = rows.map((r) => [
    methodCell(r),
    r.path,
    r.handler,
    r.guards.length ? r.guards.join(', ') : '-',
    cacheCell(r),
    rateCell(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  return [header, ...cells]
    .map((line) => line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
    .join('\n');
}
