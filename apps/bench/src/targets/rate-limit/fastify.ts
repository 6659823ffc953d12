// The same route on raw fastify with @fastify/rate-limit, in memory or on its Redis store, with
// the ioredis client its documentation shows.
import rateLimitPlugin from '@fastify/rate-limit';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { rateLimit } from '../../fixtures/rate-limit.js';
import { redisPrefix, redisUrl, storeKind } from '../../fixtures/rate-limit-store.js';
import { host, port } from '../../fixtures/port.js';

async function main(): Promise<void> {
  const app = Fastify({ logger: false });
  const redis = storeKind === 'redis' ? new Redis(redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1 }) : undefined;
  await app.register(rateLimitPlugin, { global: false, redis, nameSpace: redisPrefix });
  app.get('/limited', { config: { rateLimit: { max: rateLimit.max, timeWindow: rateLimit.windowSeconds * 1000 } } }, async () => ({ ok: true }));
  app.get('/hello', async () => ({ message: 'Hello, World!' })); // the runner's readiness probe
  await app.listen({ port, host });
}

void main();
