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
  // Most values are one line (JSON.stringify never writes a raw line break): no split for them.
  if (value.indexOf('\n') === -1 && value.indexOf('\r') === -1) return `${field}: ${value}\n`;
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
  if (event.data !== undefined) out += typeof event.data === 'string' ? lines('data', event.data) : `data: ${JSON.stringify(event.data)}\n`;
  return `${out}\n`;
}

/** A yielded value as wire text: an `SseEvent` as it says, anything else as its `data`. */
export function formatSseItem(item: unknown): string {
  if (isSseEvent(item)) return formatSseEvent(item);
  if (typeof item === 'string') return `${lines('data', item)}\n`;
  return item === undefined ? '\n' : `data: ${JSON.stringify(item)}\n\n`;
}
