import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface OpenApiValidation {
  valid: boolean;
  /** The OpenAPI version the validator checked against, e.g. `3.1`. */
  version: string;
  errors: unknown;
}

/** Checks a document against the official OpenAPI schema (offline: the package ships it). */
export function validateOpenApi(document: unknown): OpenApiValidation {
  const out = execFileSync(process.execPath, [join(__dirname, '../fixtures/validate-openapi.mjs')], {
    input: JSON.stringify(document),
    encoding: 'utf8',
  });
  return JSON.parse(out) as OpenApiValidation;
}
