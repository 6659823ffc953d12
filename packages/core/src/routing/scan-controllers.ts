import { celloError } from '../errors/cello-error.js';
import { getController } from '../metadata/controller-meta.js';
import { getClassGuards, getMethodGuards } from '../metadata/guard-meta.js';
import { getRouteFlags } from '../metadata/route-flags.js';
import { getParamTypes } from '../metadata/design-types.js';
import { getParams } from '../metadata/param-meta.js';
import { getRoutes } from '../metadata/route-meta.js';
import { prototypeChain } from '../metadata/class-chain.js';
import type { Constructor } from '../metadata/types.js';
import { joinPath } from './path.js';
import { paramDefinitions } from './param-definitions.js';
import { routePolicies } from './route-flags-policy.js';
import { routeSchemas } from './route-schemas.js';
import type { GuardLike } from '../guards/guard.js';
import type { RouteDefinition } from './route-table.js';

// The prototype whose declaration of `key` carries parameter metadata: the most derived one
// with decorators or design types for it, else where the route was declared.
function paramOwner(ctor: Constructor, key: string): object {
  for (const proto of prototypeChain(ctor)) {
    if (getParamTypes(proto, key) !== undefined || getParams(proto, key).length > 0) return proto;
  }
  return ctor.prototype;
}

/** Reads a controller's metadata once and returns its rows of the route table. */
export function scanController(ctor: Constructor): RouteDefinition[] {
  const meta = getController(ctor);
  if (!meta) throw celloError('CELLO_ERR_ROUTE_NOT_A_CONTROLLER', [ctor.name || 'An anonymous class']);
  const classGuards = getClassGuards(ctor);
  return getRoutes(ctor).map((route) => {
    const handlerName = `${ctor.name}.${route.propertyKey}`;
    const handler = ctor.prototype[route.propertyKey] as (...args: unknown[]) => unknown;
    const flags = getRouteFlags(ctor, route.propertyKey);
    const params = paramDefinitions(paramOwner(ctor, route.propertyKey), route.propertyKey, handler, handlerName, route.site);
    return {
      kind: route.kind ?? 'http',
      methods: route.methods,
      path: joinPath(meta.prefix, route.path, handlerName),
      controller: ctor,
      propertyKey: route.propertyKey,
      handlerName,
      handler,
      params,
      schemas: routeSchemas(params, route.options.response, handlerName),
      options: { ...route.options, tags: route.options.tags ?? meta.options.tags },
      guards: [...classGuards, ...getMethodGuards(ctor, route.propertyKey), ...(route.options.guards ?? [])] as GuardLike[],
      ...routePolicies(flags, route.options, route.methods, handlerName),
      site: route.site,
    };
  });
}
