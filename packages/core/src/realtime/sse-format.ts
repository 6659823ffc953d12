import { celloError } from '../errors/cello-error.js';

/** One server-sent event. `data` that is not a string is JSON-encoded. */
export interface SseEvent {
  data?: unknown;
  event?: string;
  id?: string;
  /** Reconnection delay for the client, in milliseconds. */
  retry?: number;
  comment?: string;
}

const lineBreak = /\r\n|\r|\n/;

function lines(field: string, value: string): string {
  // A field cannot hold a line break: multi-line data becomes several `data:` lines (per the spec).
  let out = '';
  for (const line of value.split(lineBreak)) out += `${field}: ${line}\n`;
  return out;
}

function single(field: 'event' | 'id', value: unknown): string {
  const text = String(value);
  // A line break would start another field: `id: 1\ndata: forged`.
  if (lineBreak.test(text)) throw celloError('CELLO_ERR_SSE_EVENT_INVALID', [`${field} must be one line, got ${JSON.stringify(text)}`]);
  return `${field}: ${text}\n`;
}

/** Whether a yielded value is an `SseEvent` rather than bare data. */
export function isSseEvent(item: unknown): item is SseEvent {
  return item !== null && typeof item === 'object' && ('data' in item || 'event' in item || 'comment' in item || 'retry' in item);
}

/** One event in the text/event-stream wire format. */
export function formatSseEvent(event: SseEvent): string {
  let out = '';
  if (event.comment !== undefined) out += lines('', event.comment);
  if (event.event !== undefined) out += single('event', event.event);
  if (event.id !== undefined) out += single('id', event.id);
  if (event.retry !== undefined) {
    if (typeof event.retry !== 'number' || !(event.retry >= 0)) throw celloError('CELLO_ERR_SSE_EVENT_INVALID', [`retry must be a non-negative number of milliseconds, got ${String(event.retry)}`]);
    out += `retry: ${Math.floor(event.retry)}\n`;
  }
  if (event.data !== undefined) out += lines('data', typeof event.data === 'string' ? event.data : JSON.stringify(event.data));
  return `${out}\n`;
}

/** A yielded value as wire text: an `SseEvent` as it says, anything else as its `data`. */
export function formatSseItem(item: unknown): string {
  return formatSseEvent(isSseEvent(item) ? item : { data: item });
}
