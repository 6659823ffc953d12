import { LuaScript } from './lua-script.js';

// The same arithmetic as core's algorithms.ts (takeToken, countInWindow), run inside Redis so a
// check is one atomic round trip. Time is the server's (TIME), never the caller's: instances
// whose clocks disagree still agree on every bucket. Each returns
// { allowed (1/0), remaining, reset seconds, retry-after seconds } and leaves its key with an
// expiry at the moment the state no longer matters.

const now = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

const num = (name: string): string => `string.format('%.17g', ${name})`;

/** KEYS[1] bucket; ARGV capacity, window in ms. */
export const tokenBucketScript = new LuaScript(`${now}
local capacity = tonumber(ARGV[1])
local perMs = capacity / tonumber(ARGV[2])
local s = redis.call('HMGET', KEYS[1], 't', 'a')
local tokens = tonumber(s[1])
local at = tonumber(s[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
else
  tokens = math.min(capacity, tokens + math.max(0, now - at) * perMs)
  at = math.max(now, at)
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
local refillMs = (capacity - tokens) / perMs
redis.call('HSET', KEYS[1], 't', ${num('tokens')}, 'a', ${num('at')})
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil(refillMs)))
local retry = 0
if allowed == 0 then retry = math.max(1, math.ceil((1 - tokens) / perMs / 1000)) end
return { allowed, math.floor(tokens), math.max(0, math.ceil(refillMs / 1000)), retry }
`);

/** KEYS[1] window counter; ARGV limit, window in ms. */
export const slidingWindowScript = new LuaScript(`${now}
local limit = tonumber(ARGV[1])
local size = tonumber(ARGV[2])
local start = math.floor(now / size) * size
local s = redis.call('HMGET', KEYS[1], 's', 'c', 'p')
local stored = tonumber(s[1])
local count = tonumber(s[2]) or 0
local previous = tonumber(s[3]) or 0
if stored ~= start then
  if stored ~= nil and stored == start - size then previous = count else previous = 0 end
  count = 0
end
local weight = (size - (now - start)) / size
local allowed = 0
if previous * weight + count + 1 <= limit then
  count = count + 1
  allowed = 1
end
local untilEnd = start + size - now
local retryMs = 0
if allowed == 0 then
  if count >= limit then
    retryMs = untilEnd + size * (1 - (limit - 1) / count)
  else
    retryMs = start + size * (1 - (limit - count - 1) / previous) - now
  end
end
redis.call('HSET', KEYS[1], 's', ${num('start')}, 'c', count, 'p', ${num('previous')})
-- This window's count weighs until the end of the next one.
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil(untilEnd + size)))
local resetMs = untilEnd
if count > 0 then resetMs = untilEnd + size end
local retry = 0
if allowed == 0 then retry = math.max(1, math.ceil(retryMs / 1000)) end
return { allowed, math.max(0, math.floor(limit - (previous * weight + count))), math.max(0, math.ceil(resetMs / 1000)), retry }
`);
