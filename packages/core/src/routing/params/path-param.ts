import { describeParameters, requestPart } from './request-part.js';

/** `@Param() p`, `@Param('id') id: number`: the path parameters, or one converted. */
export const pathParam = requestPart('param', 'params', 'path', describeParameters('path'));
