import type { FastifyInstance } from 'fastify';

// Request-time hooks: any of these on the root instance runs for every route Cello mounts.
const requestHooks = ['onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization', 'onSend', 'onResponse', 'onError', 'onTimeout', 'onRequestAbort'];

/**
 * Whether hooks were added to the root fastify instance (`app.fastify.addHook`, or a plugin
 * wrapped with fastify-plugin) that run for Cello's routes. fastify keeps them under an internal
 * symbol; if it cannot be found, the answer is yes, so the cache fast path stays off rather than
 * skip a hook.
 */
export function hasUserHooks(fastify: FastifyInstance): boolean {
  const key = Object.getOwnPropertySymbols(fastify).find((s) => s.description === 'fastify.hooks');
  const hooks = key === undefined ? undefined : (fastify as unknown as Record<symbol, Record<string, unknown[]> | undefined>)[key];
  if (hooks === undefined) return true;
  return requestHooks.some((name) => (hooks[name]?.length ?? 0) > 0);
}
