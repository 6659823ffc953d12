import { describeParameters, requestPart } from './request-part.js';

/** `@Query() q`, `@Query('page') page: number`: the query string, or one value converted. */
export const queryParam = requestPart('query', 'query', 'query', describeParameters('query'));
