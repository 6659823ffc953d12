import { setRouteFlag } from '../metadata/route-flags.js';

/**
 * Runs the route's method on a worker thread pool (piscina), so CPU-bound work leaves the event
 * loop free. Guards, validation, the cache and middleware still run on the main thread; the
 * worker gets the bound parameters as structured clones and calls the method on an instance of
 * the controller its own container makes. Only `@Param`, `@Query`, `@Body`, `@Header` and DTO
 * parameters are allowed (checked at startup), and the controller must be exported from
 * compiled JavaScript the worker can load.
 *
 * @example
 * @Get('/report')
 * @Offload()
 * report(@Query('rows') rows: number) { return crunch(rows); }
 */
export function Offload(): MethodDecorator {
  return (target, propertyKey) => {
    setRouteFlag(target, String(propertyKey), 'offload', true);
  };
}
