import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * Mounts the multipart routes in their own fastify context with @fastify/multipart: its parser
 * and hooks then serve only these routes, and every other route still answers a
 * multipart/form-data body with 415 and pays nothing for uploads, not even loading the plugin.
 */
export function mountMultipartRoutes(fastify: FastifyInstance, routes: readonly RouteOptions[]): void {
  if (routes.length === 0) return;
  void fastify.register(async (scope) => {
    // Loaded only by an app that has upload routes. Limits are given per request (per route).
    const { default: multipart } = await import('@fastify/multipart');
    await scope.register(multipart, { throwFileSizeLimit: true });
    for (const route of routes) scope.route(route);
  });
}
