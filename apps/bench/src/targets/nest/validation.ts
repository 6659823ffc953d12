import { ValidationPipe } from '@nestjs/common';

/** What a Nest app typically installs globally: class-validator, unknown keys stripped, DTO instances. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({ whitelist: true, transform: true });
}
