import { celloError } from '../errors/cello-error.js';
import { httpMethods, type HttpMethod } from '../http/methods.js';
import { defineRoute } from '../metadata/route-meta.js';
import type { RouteOptions } from '../metadata/types.js';

function routeDecorator(methods: readonly HttpMethod[]) {
  return (path = '/', options: RouteOptions = {}): MethodDecorator => {
    const site = new Error(`@${methods.length === 1 ? methods[0] : 'All'} declared here`);
    return (target, propertyKey, descriptor) => {
      if (typeof propertyKey !== 'string' || typeof descriptor.value !== 'function') {
        throw celloError('CELLO_ERR_ROUTE_NOT_A_METHOD', [target.constructor.name, String(propertyKey)]);
      }
      defineRoute(target, { methods, path, propertyKey, options, site });
    };
  };
}

/** `@Get('/{id}', { summary: 'Find a user' })` */
export const Get = routeDecorator(['GET']);
export const Post = routeDecorator(['POST']);
export const Put = routeDecorator(['PUT']);
export const Patch = routeDecorator(['PATCH']);
export const Delete = routeDecorator(['DELETE']);
export const Head = routeDecorator(['HEAD']);
export const Options = routeDecorator(['OPTIONS']);
/** Every method on one path. */
export const All = routeDecorator(httpMethods.filter((m) => m !== 'HEAD'));
