import { LuaScript } from './lua-script.js';

// Tag invalidation without scanning the keyspace. A global clock (INCR) numbers invalidations;
// a tag's key holds the clock value of its last invalidation, the epoch key that of the last
// clear(). A tag's generation is max(tag, epoch): it only goes up, and every invalidation or
// clear moves it. An entry records the generations it was computed under and is a miss once any
// moved on, so one INCR reaches every instance at its next read. A tag key lives at least as
// long as the entries that name it (else its generation would fall back and revive them).

const generation = `
local function generation(key, epoch)
  return math.max(tonumber(redis.call('GET', key)) or 0, epoch)
end
`;

/** KEYS[1] entry, KEYS[2] epoch. Returns false or { meta, body, pttl }. */
export const getEntryScript = new LuaScript(`${generation}
local e = redis.call('HMGET', KEYS[1], 'm', 'b', 'v')
if not e[1] then return false end
local epoch = tonumber(redis.call('GET', KEYS[2])) or 0
local v = cjson.decode(e[3])
local fresh = v.e == epoch
if fresh then
  for i, key in ipairs(v.k) do
    if generation(key, epoch) ~= v.v[i] then
      fresh = false
      break
    end
  end
end
if not fresh then
  redis.call('DEL', KEYS[1])
  return false
end
return { e[1], e[2], redis.call('PTTL', KEYS[1]) }
`);

/**
 * KEYS[1] entry, KEYS[2] epoch, KEYS[3..] tag keys; ARGV ttl ms, meta, body, whether to check,
 * then the generations read before computing. Stores nothing (returns 0) if any moved on.
 */
export const setEntryScript = new LuaScript(`${generation}
local epoch = tonumber(redis.call('GET', KEYS[2])) or 0
local ttl = tonumber(ARGV[1])
local keys, versions = {}, {}
for i = 3, #KEYS do
  local g = generation(KEYS[i], epoch)
  if ARGV[4] == '1' and g ~= tonumber(ARGV[i + 2]) then return 0 end
  keys[#keys + 1] = KEYS[i]
  versions[#versions + 1] = g
end
for i = 3, #KEYS do
  local left = redis.call('PTTL', KEYS[i])
  if left == -2 then
    redis.call('SET', KEYS[i], 0, 'PX', ttl)
  elseif left >= 0 and left < ttl then
    redis.call('PEXPIRE', KEYS[i], ttl)
  end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'm', ARGV[2], 'b', ARGV[3], 'v', cjson.encode({ e = epoch, k = keys, v = versions }))
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
`);

/** KEYS[1] clock, KEYS[2..] tag keys; ARGV grace ms (how long a new tag key lives at least). */
export const invalidateScript = new LuaScript(`
local c = redis.call('INCR', KEYS[1])
local grace = tonumber(ARGV[1])
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('SET', KEYS[i], c, 'KEEPTTL')
    local left = redis.call('PTTL', KEYS[i])
    if left >= 0 and left < grace then redis.call('PEXPIRE', KEYS[i], grace) end
  else
    redis.call('SET', KEYS[i], c, 'PX', grace)
  end
end
return c
`);

/** KEYS[1] clock, KEYS[2] epoch. */
export const clearScript = new LuaScript(`
local c = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], c)
return c
`);
