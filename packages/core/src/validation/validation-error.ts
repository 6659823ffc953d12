import type { ValidationError } from 'class-validator';
import { HttpError } from '../http/http-error.js';

export interface FieldError {
  path: string;
  messages: string[];
}

function childPath(parent: string, property: string, parentValue: unknown): string {
  if (Array.isArray(parentValue) && /^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** Flattens class-validator's tree into `[{ path: 'items[2].qty', messages: [...] }]`. */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = '', parentValue?: unknown): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const path = childPath(parent, error.property, parentValue);
    if (error.constraints) out.push({ path, messages: Object.values(error.constraints) });
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, path, error.value));
  }
  return out;
}

/** The 422 answer for invalid input. */
export function validationFailed(details: FieldError[]): HttpError {
  return new HttpError(422, 'Validation failed', details);
}
