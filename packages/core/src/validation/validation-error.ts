import type { ValidationError } from 'class-validator';
import { HttpError } from '../http/http-error.js';

export interface FieldError {
  path: string;
  messages: string[];
}

/** At most this many fields are reported: an array of 100,000 bad items is not a 10 MB answer. */
export const maxDetails = 100;
/** Longer messages (a custom message quoting `$value`, a huge IsIn list) are cut to this length. */
export const maxMessageLength = 300;

function clip(text: string): string {
  return text.length > maxMessageLength ? `${text.slice(0, maxMessageLength - 1)}…` : text;
}

function childPath(parent: string, property: string, parentValue: unknown): string {
  if (Array.isArray(parentValue) && /^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

function flatten(errors: readonly ValidationError[], parent: string, parentValue: unknown, out: FieldError[]): void {
  for (const error of errors) {
    if (out.length >= maxDetails) return;
    const path = childPath(parent, error.property, parentValue);
    if (error.constraints) out.push({ path, messages: Object.values(error.constraints) });
    if (error.children?.length) flatten(error.children, path, error.value, out);
  }
}

/** Flattens class-validator's tree into `[{ path: 'items[2].qty', messages: [...] }]`. */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = '', parentValue?: unknown): FieldError[] {
  const out: FieldError[] = [];
  flatten(errors, parent, parentValue, out);
  return out;
}

/** The 422 answer for invalid input; never more than `maxDetails` fields, nor long messages. */
export function validationFailed(details: FieldError[]): HttpError {
  const bounded = details.slice(0, maxDetails).map((d) => ({ path: clip(d.path), messages: d.messages.map(clip) }));
  return new HttpError(422, 'Validation failed', bounded);
}
