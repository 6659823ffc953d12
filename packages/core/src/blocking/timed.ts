import type { RequestContext } from '../di/request-context.js';
import type { Guard } from '../guards/guard.js';
import { guardName } from '../guards/guard.js';
import type { Binder } from '../routing/params/param-kind.js';
import type { BlockingDetector } from './blocking-detector.js';

// Wrappers chosen at startup for the routes of an app with blocking detection on: each times the
// synchronous part of one call (up to its first await) with two reads of the cheapest clock
// (process.hrtime.bigint: about half the cost of performance.now() on Node 20, a quarter on 24).
// An app without detection never builds them, so its routes pay nothing.

const clock = process.hrtime.bigint;

/** The handler method, timed; `this` and the arguments pass through. */
export function timedHandler(fn: Function, route: string, detector: BlockingDetector): Function {
  const limit = detector.thresholdNs;
  return function timed(this: unknown) {
    const start = clock();
    try {
      // eslint-disable-next-line prefer-rest-params -- apply(this, arguments) is not materialized by V8
      return fn.apply(this, arguments);
    } finally {
      const took = clock() - start;
      if (took > limit) detector.report(route, 'handler', took);
    }
  };
}

/** A dependency's binder, timed: its synchronous part runs inside the `resolve()` call. */
export function timedBinder(bind: Binder, route: string, stage: string, detector: BlockingDetector): Binder {
  const limit = detector.thresholdNs;
  return (ctx, request) => {
    const start = clock();
    try {
      return bind(ctx, request);
    } finally {
      const took = clock() - start;
      if (took > limit) detector.report(route, stage, took);
    }
  };
}

/** A guard whose `canActivate` is timed; it still is the guard (its class name, its other members). */
export function timedGuard(guard: Guard, route: string, detector: BlockingDetector): Guard {
  const limit = detector.thresholdNs;
  const stage = `guard ${guardName(guard)}`;
  const timed = Object.create(guard) as Guard;
  timed.canActivate = (ctx: RequestContext) => {
    const start = clock();
    try {
      return guard.canActivate(ctx);
    } finally {
      const took = clock() - start;
      if (took > limit) detector.report(route, stage, took);
    }
  };
  return timed;
}
