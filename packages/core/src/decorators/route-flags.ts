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
