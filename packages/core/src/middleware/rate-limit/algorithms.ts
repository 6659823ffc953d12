import type { RateLimitRule } from './config.js';
import type { RateLimitDecision } from './store.js';

// Pure state transitions shared by the memory store and tests; the Redis store runs the same
// arithmetic in Lua.

export interface BucketState { tokens: number; at: number }
export interface WindowState { start: number; count: number; previous: number }

const seconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));

export function takeToken(state: BucketState | undefined, rule: RateLimitRule, now: number): { state: BucketState; decision: RateLimitDecision } {
  const capacity = rule.requests;
  const perMs = capacity / (rule.window * 1000);
  const elapsed = state ? Math.max(0, now - state.at) : 0;
  let tokens = state ? Math.min(capacity, state.tokens + elapsed * perMs) : capacity;
  const allowed = tokens >= 1;
  if (allowed) tokens -= 1;
  return {
    // A clock that steps back (NTP, another instance's clock) must not get the same time refilled twice.
    state: { tokens, at: state ? Math.max(now, state.at) : now },
    decision: {
      allowed,
      limit: capacity,
      remaining: Math.floor(tokens),
      reset: seconds((capacity - tokens) / perMs),
      retryAfter: allowed ? 0 : Math.max(1, seconds((1 - tokens) / perMs)),
    },
  };
}

export function countInWindow(state: WindowState | undefined, rule: RateLimitRule, now: number): { state: WindowState; decision: RateLimitDecision } {
  const size = rule.window * 1000;
  const limit = rule.requests;
  const start = Math.floor(now / size) * size;
  let { count, previous } = state ?? { count: 0, previous: 0 };
  if (!state || state.start !== start) {
    previous = state && state.start === start - size ? state.count : 0;
    count = 0;
  }
  // Weight of the previous window still inside the sliding window ending now.
  const weight = (size - (now - start)) / size;
  const estimate = previous * weight + count;
  const allowed = estimate + 1 <= limit;
  if (allowed) count += 1;
  const untilWindowEnd = start + size - now;
  let retryMs = 0;
  if (!allowed) {
    if (count >= limit) {
      // Only after this window ends, and once this window's share has decayed enough.
      retryMs = untilWindowEnd + size * (1 - (limit - 1) / count);
    } else {
      retryMs = start + size * (1 - (limit - count - 1) / previous) - now;
    }
  }
  return {
    state: { start, count, previous },
    decision: {
      allowed,
      limit,
      remaining: Math.max(0, Math.floor(limit - (previous * weight + count))),
      // Fully available once nothing counted so far still weighs: this window's requests are
      // the next window's `previous`, so they weigh until the end of the next window.
      reset: seconds(count > 0 ? untilWindowEnd + size : untilWindowEnd),
      retryAfter: allowed ? 0 : Math.max(1, seconds(retryMs)),
    },
  };
}
