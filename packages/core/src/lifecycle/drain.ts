import type { FastifyInstance } from 'fastify';
import type { Server } from 'node:http';

// fastify keeps the extra listeners of a dual-stack listen ('localhost' -> ::1 and 127.0.0.1) in
// an internal symbol and closes them without waiting (fastify#7043); find them so close() can
// wait for their in-flight requests too.
export function serverBindings(fastify: FastifyInstance): Server[] {
  const key = Object.getOwnPropertySymbols(fastify).find((s) => s.description === 'fastify.serverBindings');
  const extra = key ? ((fastify as unknown as Record<symbol, unknown>)[key] as Server[] | undefined) ?? [] : [];
  return [fastify.server as Server, ...extra];
}

/** Open connections on every listener right now (net.Server's own count; for log lines). */
export function openConnections(fastify: FastifyInstance): number {
  return serverBindings(fastify).reduce((n, s) => n + ((s as unknown as { _connections?: number })._connections ?? 0), 0);
}

function connectionCount(server: Server): Promise<number> {
  return new Promise((resolve) => server.getConnections((err, count) => resolve(err ? 0 : count)));
}

/**
 * Stops accepting and waits until every listener has no connection left. Idle keep-alive
 * sockets are closed as soon as they go idle (instead of lingering until their timeout,
 * fastify#7044), so close() never waits on a client that is not sending anything. At the
 * deadline the remaining connections are cut; resolves to how many were.
 */
export async function drainServers(fastify: FastifyInstance, deadline: number): Promise<number> {
  const servers = serverBindings(fastify);
  const closing = fastify.close();
  let open = 0;
  for (;;) {
    open = 0;
    for (const server of servers) {
      server.closeIdleConnections?.();
      open += await connectionCount(server);
    }
    if (open === 0 || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  if (open > 0) for (const server of servers) server.closeAllConnections?.();
  await closing;
  return open;
}
