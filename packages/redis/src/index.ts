export { RedisRateLimitStore } from './redis-rate-limit-store.js';
export type { RedisRateLimitStoreOptions } from './redis-rate-limit-store.js';
export { RedisCacheStore } from './redis-cache-store.js';
export type { RedisCacheStoreOptions } from './redis-cache-store.js';
export type { RedisConnectionOptions, RedisStoreLog } from './connection.js';
