import type { FastifyServerOptions } from 'fastify';
import { celloError } from '../errors/cello-error.js';

/**
 * Checks `trustProxy` before fastify sees it. Fastify 5.12 turned a hop count into "trust
 * nobody" (it cannot tell the proxy from a direct client that forges X-Forwarded-For), so a
 * number would be silently ignored and every client would share the proxy's address.
 */
export function checkTrustProxy(value: unknown): FastifyServerOptions['trustProxy'] {
  if (typeof value === 'number') throw celloError('CELLO_ERR_APP_TRUST_PROXY', [value]);
  return (value ?? false) as FastifyServerOptions['trustProxy'];
}
