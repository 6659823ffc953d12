// One rate-limited route on Cello, with the memory store or RedisRateLimitStore (its defaults:
// a client of its own, offline queue off, 200 ms command timeout).
import { App, RateLimitConfig } from '@cello/core';
import { RedisRateLimitStore } from '@cello/redis';
import { rateLimit } from '../../fixtures/rate-limit.js';
import { redisPrefix, redisUrl, storeKind } from '../../fixtures/rate-limit-store.js';
import { host, port } from '../../fixtures/port.js';

const app = new App({ logger: false });
const store = storeKind === 'redis' ? new RedisRateLimitStore(redisUrl, { prefix: redisPrefix }) : undefined;
app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: rateLimit.max, window: rateLimit.windowSeconds }), { store });
app.get('/limited', () => ({ ok: true }));
app.get('/hello', () => ({ message: 'Hello, World!' }), { rateLimit: false }); // the runner's readiness probe
void app.listen({ port, host });
