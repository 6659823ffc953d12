import { celloError } from '../errors/cello-error.js';

/** `new App({ websocket })`. */
export interface WebSocketOptions {
  /** The largest message accepted, in bytes (default 1 MiB); a bigger one closes the socket with 1009. Routes may set their own. */
  maxPayload?: number;
}

/** `new App({ sse })`. */
export interface SseOptions {
  /** Seconds without an event before a heartbeat comment (default 15), or `false` for none. Routes may set their own. */
  heartbeat?: number | false;
}

/** The app's realtime settings, checked once. */
export interface RealtimeSettings {
  readonly maxPayload: number;
  readonly heartbeat: number | false;
}

export function checkMaxPayload(value: unknown, where: string, site?: Error): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
    throw celloError('CELLO_ERR_REALTIME_CONFIG', [`${where}: maxPayload must be a positive whole number of bytes, got ${String(value)}`], { site });
  }
  return value;
}

export function checkHeartbeat(value: unknown, where: string, site?: Error): number | false {
  if (value === false) return false;
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
    throw celloError('CELLO_ERR_REALTIME_CONFIG', [`${where}: heartbeat must be a positive number of seconds or false, got ${String(value)}`], { site });
  }
  return value;
}

export function realtimeSettings(websocket: WebSocketOptions = {}, sse: SseOptions = {}): RealtimeSettings {
  return {
    maxPayload: websocket.maxPayload === undefined ? 1024 * 1024 : checkMaxPayload(websocket.maxPayload, 'new App({ websocket })'),
    heartbeat: sse.heartbeat === undefined ? 15 : checkHeartbeat(sse.heartbeat, 'new App({ sse })'),
  };
}
