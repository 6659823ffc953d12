import { HttpError } from '../http/http-error.js';

/**
 * One message received on a WebSocket: `text()`, `json()`, or the bytes as `data`.
 */
export class WebSocketMessage {
  /** The message's bytes. */
  readonly data: Buffer;
  /** True for a binary frame, false for a text frame. */
  readonly isBinary: boolean;

  constructor(data: Buffer, isBinary: boolean) {
    this.data = data;
    this.isBinary = isBinary;
  }

  /** The message as UTF-8 text. */
  text(): string {
    return this.data.toString('utf8');
  }

  /** The message parsed as JSON; invalid JSON throws a 400 `HttpError` (which closes the socket with 4400 unless caught). */
  json<T = unknown>(): T {
    try {
      return JSON.parse(this.data.toString('utf8')) as T;
    } catch {
      throw HttpError.badRequest('The WebSocket message is not valid JSON');
    }
  }
}
