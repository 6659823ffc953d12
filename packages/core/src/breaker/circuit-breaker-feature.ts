import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { featureOrder, type Feature, type RouteHooks } from '../features/feature.js';
import { toErrorBody } from '../http/error-response.js';
import { HttpError } from '../http/http-error.js';
import type { RouteInfo } from '../routing/route-info.js';
import { breakerDefaults, breakerSettings, type BreakerSettings, type CircuitBreakerOptions } from './breaker-options.js';
import { PASS, PROBE, RouteBreaker } from './route-breaker.js';

function refusal(retryAfter: number): string {
  const err = new HttpError(503, `This route failed repeatedly and is paused; retry in ${retryAfter} second${retryAfter === 1 ? '' : 's'}`, undefined, { code: 'CELLO_ERR_BREAKER_OPEN' });
  return JSON.stringify(toErrorBody(err));
}

function isFailure(res: ServerResponse): boolean {
  return res.statusCode >= 500;
}

/**
 * Circuit breakers, one per route: the app's settings (`enableCircuitBreaker`) with each route's
 * own (`@CircuitBreaker`, the `circuitBreaker` route option) over them. A route with no breaker
 * gets no hook. The hook sits after rate limits and JWT, so what they refuse never reaches the
 * handler and counts neither way; the outcome is read when the raw response closes.
 */
export class CircuitBreakers implements Feature {
  readonly name = 'circuitBreaker';
  readonly order = featureOrder.circuitBreaker;
  readonly #default: BreakerSettings | null;
  readonly #log: FastifyBaseLogger;
  readonly #byRoute = new Map<RouteInfo, RouteBreaker>();

  /** `options` null: only routes with their own breaker get one. */
  constructor(options: CircuitBreakerOptions | null, log: FastifyBaseLogger) {
    this.#default = options === null ? null : breakerSettings(options, breakerDefaults, 'enableCircuitBreaker()');
    this.#log = log;
  }

  /** The breaker of `route`, if it has one (for tests and diagnostics). */
  breakerOf(route: RouteInfo): RouteBreaker | undefined {
    return this.#byRoute.get(route);
  }

  forRoute(route: RouteInfo): RouteHooks | null {
    const own = route.circuitBreaker;
    if (own === false || route.kind === 'websocket' || (own === null && this.#default === null)) return null;
    let breaker = this.#byRoute.get(route);
    if (breaker === undefined) {
      const settings = own === null ? this.#default! : breakerSettings(own, this.#default ?? breakerDefaults, route.handlerName);
      breaker = new RouteBreaker(settings);
      this.#byRoute.set(route, breaker);
    }
    return { onRequest: this.#hook(breaker, route) };
  }

  #hook(breaker: RouteBreaker, route: RouteInfo): RouteHooks['onRequest'] {
    const log = this.#log;
    const label = `${route.methods.join(',')} ${route.path}`;
    const opened = () => log.warn({ code: 'CELLO_ERR_BREAKER_OPEN', route: label }, `circuit breaker opened for ${label}: answering 503 until a probe succeeds`);
    // Made once per route: `this` is the response that closed. `writableEnded`, not
    // `writableFinished`: an injected response is destroyed before it counts as finished.
    function ordinaryEnded(this: ServerResponse): void {
      if (this.writableEnded && breaker.ended(isFailure(this))) opened();
    }
    return function circuitBreaker(_request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) {
      const verdict = breaker.admit();
      if (verdict === PASS) {
        reply.raw.once('close', ordinaryEnded);
        done();
        return;
      }
      if (verdict === PROBE) {
        const period = breaker.period;
        const res = reply.raw;
        res.once('close', () => {
          if (breaker.probeEnded(period, !res.writableEnded ? 'aborted' : isFailure(res) ? 'failure' : 'success')) opened();
          else if (breaker.state === 'closed' && res.writableEnded && !isFailure(res)) log.info({ route: label }, `circuit breaker closed for ${label}`);
        });
        done();
        return;
      }
      // Answered here, not through the error handler: a refused request is expected, not an error to log.
      reply.code(503).header('retry-after', verdict).header('content-type', 'application/json; charset=utf-8').send(refusal(verdict));
    };
  }
}
