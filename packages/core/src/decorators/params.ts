import { defineParam } from '../metadata/param-meta.js';
import type { ParamSource } from '../metadata/types.js';

function paramDecorator(source: Exclude<ParamSource, 'inject' | 'depends' | 'custom'>) {
  return (name?: string): ParameterDecorator => {
    const site = new Error(`@${source} declared here`);
    return (target, propertyKey, index) => {
      if (propertyKey === undefined) {
        throw new TypeError(`@${source[0]!.toUpperCase()}${source.slice(1)}() goes on a handler method's parameter, not on a constructor parameter (${(target as Function).name})`);
      }
      defineParam(target, String(propertyKey), { index, source, name, site });
    };
  };
}

/** The parsed body (`@Body()`), or one field of it (`@Body('name')`). A class type is validated. */
export const Body = paramDecorator('body');
/** The query string as an object (`@Query()`), or one value (`@Query('page') page: number`). */
export const Query = paramDecorator('query');
/** The path parameters (`@Param()`), or one of them (`@Param('id') id: string`). */
export const Param = paramDecorator('param');
/** A request header by name (`@Header('x-api-key')`); names are case-insensitive. */
export const Header = paramDecorator('header');
