import { defineParam } from '../metadata/param-meta.js';
import type { ParamSource } from '../metadata/types.js';
import { celloError } from '../errors/cello-error.js';

function paramDecorator(source: Exclude<ParamSource, 'inject' | 'depends' | 'custom' | 'file' | 'files'>) {
  return (name?: string): ParameterDecorator => {
    const site = new Error(`@${source} declared here`);
    return (target, propertyKey, index) => {
      if (propertyKey === undefined) {
        throw celloError('CELLO_ERR_PARAM_DECORATOR_MISPLACED', [`${source[0]!.toUpperCase()}${source.slice(1)}()`, (target as Function).name, 'Inject services into the constructor by type or with @Inject(token).'], { site });
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
/**
 * The text fields of a multipart/form-data body (`@Form() form: ProfileForm`, validated like a
 * JSON body, strings converted to the DTO's types; 422 the same way), or one field
 * (`@Form('name') name: string`).
 */
export const Form = paramDecorator('form');
