import { inject, type InjectionToken } from 'tsyringe';
import { defineParam } from '../metadata/param-meta.js';

/**
 * Injects `token` from the container: on a constructor parameter (tsyringe's `@inject`) or on a
 * handler parameter (resolved per request).
 */
export function Inject(token: InjectionToken<unknown>): ParameterDecorator {
  const site = new Error('@Inject declared here');
  return (target, propertyKey, index) => {
    if (propertyKey === undefined) {
      inject(token)(target, undefined, index);
      return;
    }
    defineParam(target, String(propertyKey), { index, source: 'inject', token, site });
  };
}
