import { breakerDefaults, breakerSettings, type CircuitBreakerOptions } from '../breaker/breaker-options.js';
import { isRateLimitRule, type RateLimitRule } from '../middleware/rate-limit/config.js';
import { setRouteFlag } from '../metadata/route-flags.js';
import { celloError } from '../errors/cello-error.js';

function flag(name: string, value: unknown): ClassDecorator & MethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    setRouteFlag(target, propertyKey === undefined ? undefined : String(propertyKey), name, value);
  }) as ClassDecorator & MethodDecorator;
}

/** The route (or every route of the controller) skips JWT authentication: no token is read. */
export function Public(): ClassDecorator & MethodDecorator {
  return flag('public', true);
}

/**
 * A rate limit for this route (or controller) instead of the app's.
 *
 * @example
 * @RateLimit(RateLimitConfig.slidingWindow({ requests: 5, window: 60 }))
 * @Post('/login') login() {}
 */
export function RateLimit(rule: RateLimitRule): ClassDecorator & MethodDecorator {
  if (!isRateLimitRule(rule)) throw celloError('CELLO_ERR_RATE_LIMIT_CONFIG', ['@RateLimit() takes a RateLimitConfig.tokenBucket(...) or .slidingWindow(...) rule']);
  return flag('rateLimit', rule);
}

/** The route (or controller) is not rate limited. */
export function SkipRateLimit(): ClassDecorator & MethodDecorator {
  return flag('rateLimit', false);
}

/**
 * A circuit breaker for this route (or for each route of the controller), its settings over the
 * app's `enableCircuitBreaker()` ones. Works without `enableCircuitBreaker()` too.
 *
 * @example
 * @CircuitBreaker({ failureThreshold: 3, resetTimeout: 10 })
 * @Get('/quotes') quotes() {}
 */
export function CircuitBreaker(options: CircuitBreakerOptions = {}): ClassDecorator & MethodDecorator {
  // Checked now, so a bad setting points at the decorator rather than at startup.
  breakerSettings(options, breakerDefaults, '@CircuitBreaker()');
  return flag('circuitBreaker', Object.freeze({ ...options }));
}

/** The route (or controller) has no circuit breaker, even when the app has one. */
export function SkipCircuitBreaker(): ClassDecorator & MethodDecorator {
  return flag('circuitBreaker', false);
}
