import { canFailValidation, requestPart, scalarSchema } from './request-part.js';

/** `@Body() x`, `@Body('name') name`, or an undecorated DTO-typed parameter: the JSON body. */
export const bodyParam = requestPart('body', 'body', 'body', (p, op) => {
  if (canFailValidation(p)) op.canFailValidation = true;
  if (p.isDto) op.body.dto = op.registry.ref(p.type as Function);
  else if (p.name !== undefined) op.body.fields[p.name] = scalarSchema(p.type);
  else op.body.any = true;
});
