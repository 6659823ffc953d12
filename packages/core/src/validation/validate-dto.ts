import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors, validationFailed } from './validation-error.js';

export type DtoSource = 'body' | 'query' | 'params' | 'headers';

/**
 * Turns plain input into a validated DTO instance, or throws 422. Unknown properties are
 * stripped (class-validator's whitelist).
 */
export function toValidatedDto(type: Function, value: unknown, source: DtoSource): object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw validationFailed([{ path: '', messages: [`${source} must be a JSON object`] }]);
  }
  const instance = plainToInstance(type as new () => object, value, {
    enableImplicitConversion: source !== 'body',
  }) as object;
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) throw validationFailed(flattenValidationErrors(errors));
  return instance;
}
