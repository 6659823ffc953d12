import { STATUS_CODES } from 'node:http';

/** The reason phrase for a status code ("Not Found"), or a generic one for unknown codes. */
export function statusText(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}
