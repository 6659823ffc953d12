import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { FeatureRegistry } from '../features/registry.js';
import { HttpError } from './http-error.js';

/**
 * fastify's `frameworkErrors`: the answers the router gives before any route runs (a URL whose
 * percent-encoding is broken, a path parameter over `maxParamLength`). fastify's own answers
 * have another body shape, no feature headers (security headers, request id, CORS) and echo the
 * whole URL; these go through the features and the app's error handler like any 4xx.
 */
export function routerErrors(features: FeatureRegistry, maxParamLength: number): NonNullable<FastifyServerOptions['frameworkErrors']> {
  return (err: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply) => {
    features.unmatched(request, reply, []);
    if (reply.sent) return;
    if (err.code === 'FST_ERR_BAD_URL') reply.send(HttpError.badRequest('The URL is not valid: a percent-encoding (%XX) is malformed'));
    else if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') reply.send(new HttpError(414, `A path parameter is longer than ${maxParamLength} characters (maxParamLength)`, undefined, { code: 'CELLO_ERR_PARAM_TOO_LONG' }));
    else reply.send(err);
  };
}
