import { describeParameters, requestPart } from './request-part.js';

/** `@Header('x-api-key') key`: a request header (case-insensitive), converted. */
export const headerParam = requestPart('header', 'headers', 'header', describeParameters('header'));
