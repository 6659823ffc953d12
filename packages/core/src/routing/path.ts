import { celloError } from '../errors/cello-error.js';

const braceParam = /\{([^{}/]*)\}/g;
const paramName = /^[A-Za-z_$][\w$]*$/;

/**
 * Joins a controller prefix and a route path into fastify's syntax: `{id}` becomes `:id`,
 * duplicate and trailing slashes go (the router also ignores a trailing slash on requests).
 */
export function joinPath(prefix: string, path: string, owner: string): string {
  const joined = `/${prefix}/${path}`.replace(/\/{2,}/g, '/');
  const trimmed = joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
  const converted = trimmed.replace(braceParam, (_, name: string) => {
    if (!paramName.test(name)) {
      throw celloError('CELLO_ERR_ROUTE_INVALID_PATH', [JSON.stringify(path), owner, `"{${name}}" is not a valid parameter name`]);
    }
    return `:${name}`;
  });
  if (/[{}]/.test(converted)) {
    throw celloError('CELLO_ERR_ROUTE_INVALID_PATH', [JSON.stringify(path), owner, 'unbalanced "{" or "}"']);
  }
  return converted;
}

/** The OpenAPI form of a fastify path: `/users/:id` -> `/users/{id}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z_$][\w$]*)/g, '{$1}');
}
