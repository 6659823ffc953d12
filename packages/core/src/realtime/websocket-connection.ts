import type { WebSocket as Ws } from 'ws';
import type { Request } from '../http/request.js';
import { WebSocketMessage } from './websocket-message.js';

/** Data `send()` takes: a string goes as a text frame, bytes as a binary frame. */
export type WebSocketData = string | Buffer | ArrayBuffer | ArrayBufferView;

/** Why a socket closed. */
export interface WebSocketClose {
  readonly code: number;
  readonly reason: string;
}

/**
 * An open WebSocket, as a `@WebSocket` method receives it: iterate it for messages, `send()`
 * or `sendJson()` to answer, `close()` to end. The connection lives as long as the method:
 * when the method returns, the socket is closed (1000); when it throws, with 1011 (or
 * `4000 + status` for an `HttpError`).
 *
 * @example
 * @WebSocket('/ws/echo')
 * async echo(socket: WebSocketConnection) {
 *   for await (const msg of socket) socket.send(msg.text());
 * }
 */
export abstract class WebSocketConnection implements AsyncIterable<WebSocketMessage> {
  /** The upgrade request (headers, query, params, `user`). */
  abstract readonly request: Request;
  /** The `ws` WebSocket underneath (escape hatch: ping, binaryType, events). */
  abstract get raw(): Ws;
  /** True while messages can be sent. */
  abstract get isOpen(): boolean;
  /** Resolves once the socket has closed, with its close code and reason. */
  abstract get closed(): Promise<WebSocketClose>;
  /** Sends a text frame (string) or a binary frame (bytes). Ignored once the socket is closing. */
  abstract send(data: WebSocketData): void;
  /** Sends `value` as JSON in a text frame. */
  abstract sendJson(value: unknown): void;
  /** Starts the closing handshake (default code 1000). */
  abstract close(code?: number, reason?: string): void;
  /** The messages, in order, until the socket closes. */
  abstract [Symbol.asyncIterator](): AsyncIterator<WebSocketMessage>;
}

type Waiter = (result: IteratorResult<WebSocketMessage>) => void;

// Messages held for a handler that is busy; past this many, the socket stops reading (TCP
// backpressure reaches the client) until the handler catches up.
const HIGH_WATER = 64;
const DONE: IteratorResult<WebSocketMessage> = { value: undefined, done: true };

/** The connection behind `WebSocketConnection`, made before the handshake and attached after it. */
export class LiveConnection extends WebSocketConnection {
  readonly request: Request;
  readonly #limit: number;
  #ws: Ws | null = null;
  #queue: WebSocketMessage[] = [];
  #head = 0;
  #waiters: Waiter[] = [];
  #ended = false;
  #paused = false;
  #close: WebSocketClose | null = null;
  #closed: Promise<WebSocketClose> | null = null;
  #onClosed: ((close: WebSocketClose) => void) | null = null;

  constructor(request: Request, limit: number) {
    super();
    this.request = request;
    this.#limit = limit;
  }

  /** The handshake completed: `ws` is the socket. */
  attach(ws: Ws): void {
    this.#ws = ws;
    ws.on('message', this.#onMessage);
    ws.once('close', this.#onClose);
  }

  get raw(): Ws {
    return this.#ws!;
  }

  get isOpen(): boolean {
    return this.#ws !== null && this.#ws.readyState === 1;
  }

  get closed(): Promise<WebSocketClose> {
    if (this.#close !== null) return Promise.resolve(this.#close);
    return (this.#closed ??= new Promise((resolve) => (this.#onClosed = resolve)));
  }

  send(data: WebSocketData): void {
    const ws = this.#ws;
    if (ws === null || ws.readyState !== 1) return;
    ws.send(data, { binary: typeof data !== 'string' });
  }

  sendJson(value: unknown): void {
    this.send(JSON.stringify(value));
  }

  close(code = 1000, reason = ''): void {
    const ws = this.#ws;
    if (ws !== null && ws.readyState < 2) ws.close(code, reason);
  }

  [Symbol.asyncIterator](): AsyncIterator<WebSocketMessage> {
    return { next: () => this.#next(), return: () => Promise.resolve(DONE) };
  }

  #next(): Promise<IteratorResult<WebSocketMessage>> {
    if (this.#head < this.#queue.length) {
      const value = this.#queue[this.#head++]!;
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      }
      if (this.#paused && this.#queue.length - this.#head < HIGH_WATER / 2) {
        this.#paused = false;
        this.#ws?.resume();
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve(DONE);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  readonly #onMessage = (data: Buffer, isBinary: boolean): void => {
    // The app-wide limit is the parser's (ws closes with 1009 itself); a route's own smaller one is checked here.
    if (data.length > this.#limit) {
      this.close(1009, 'Message too big');
      return;
    }
    const message = new WebSocketMessage(data, isBinary);
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter({ value: message, done: false });
      return;
    }
    this.#queue.push(message);
    if (!this.#paused && this.#queue.length - this.#head >= HIGH_WATER) {
      this.#paused = true;
      this.#ws!.pause();
    }
  };

  readonly #onClose = (code: number, reason: Buffer): void => {
    this.#ended = true;
    this.#close = { code, reason: reason.toString('utf8') };
    this.#onClosed?.(this.#close);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter(DONE);
  };
}
