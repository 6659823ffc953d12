import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { celloError } from '../errors/cello-error.js';
import { holdEndFor } from '../exchange/end-signal.js';
import type { LiveStream, LiveStreams } from './live-streams.js';
import { formatSseItem } from './sse-format.js';

/** What the app gives an event stream when a route sends it. */
export interface SseAttachment {
  readonly res: ServerResponse;
  readonly log: FastifyBaseLogger;
  /** The app's default heartbeat, in seconds, or false. */
  readonly heartbeat: number | false;
  readonly live: LiveStreams | null;
  /** The route, for log lines. */
  readonly label: string;
}

const HEARTBEAT = ': ping\n\n';

/**
 * An async iterable of events as a text/event-stream body. Each event is pulled when the
 * response can take more (so a slow client does not make the source run ahead further than
 * one buffer) and written as soon as it is produced; a comment goes out after `heartbeat`
 * seconds of silence so proxies keep the connection. Destroying the stream (the client went
 * away) returns the source, so an async generator's `finally` runs; the stream's `close` comes
 * only after that, which is what the request's cleanup waits for.
 */
export class SseStream extends Readable implements LiveStream {
  readonly #source: AsyncIterable<unknown>;
  readonly #heartbeat: number | false | undefined;
  #iterator: AsyncIterator<unknown> | null = null;
  #pulling = false;
  #finished = false;
  #timer: NodeJS.Timeout | null = null;
  #attached: SseAttachment | null = null;
  #returning: Promise<void> | null = null;

  constructor(source: AsyncIterable<unknown>, heartbeat?: number | false) {
    super();
    this.#source = source;
    this.#heartbeat = heartbeat;
  }

  /** Called once, when a route sends this stream as its response body. */
  attach(attachment: SseAttachment): void {
    if (this.#attached !== null) return;
    this.#attached = attachment;
    holdEndFor(attachment.res, this);
    attachment.live?.add(this);
  }

  override _read(): void {
    if (this.#pulling || this.#finished) return;
    if (this.#iterator === null && !this.#start()) return;
    this.#pulling = true;
    void this.#pump(this.#iterator!);
  }

  // Pulls events while the response wants more, without going back through _read (a tick) for
  // each one.
  async #pump(iterator: AsyncIterator<unknown>): Promise<void> {
    try {
      for (;;) {
        const step = await iterator.next();
        if (this.#finished || this.destroyed) return;
        if (step.done) {
          this.#finished = true;
          this.#stopHeartbeat();
          this.push(null);
          return;
        }
        this.#timer?.refresh();
        if (!this.push(formatSseItem(step.value))) return;
      }
    } catch (err) {
      this.#fail(err);
    } finally {
      this.#pulling = false;
    }
  }

  #start(): boolean {
    try {
      this.#iterator = this.#source[Symbol.asyncIterator]();
    } catch (err) {
      this.#fail(err);
      return false;
    }
    // Headers go out now, not with the first event: a client learns the stream is open even
    // when the first event takes a while. Only once fastify wrote them (headersSent), else
    // they would leave without their content type.
    const res = this.#attached?.res;
    if (res !== undefined && res.headersSent && !res.writableEnded) res.flushHeaders();
    const seconds = this.#heartbeat ?? this.#attached?.heartbeat ?? 15;
    if (seconds !== false) {
      this.#timer = setTimeout(this.#beat, seconds * 1000);
      this.#timer.unref();
    }
    return true;
  }

  readonly #beat = (): void => {
    if (this.#finished || this.destroyed) return;
    this.push(HEARTBEAT);
    this.#timer?.refresh();
  };

  // The source failed after the headers went out: no error response is possible. Logged, and the
  // stream ends cleanly (an EventSource reconnects with Last-Event-ID).
  #fail(err: unknown): void {
    if (this.#finished || this.destroyed) return;
    const attached = this.#attached;
    if (attached === null) {
      this.destroy(err as Error);
      return;
    }
    const code = (err as { code?: unknown } | null)?.code === 'CELLO_ERR_SSE_EVENT_INVALID' ? 'CELLO_ERR_SSE_EVENT_INVALID' : 'CELLO_ERR_SSE_SOURCE_FAILED';
    attached.log.error({ err, code }, celloError('CELLO_ERR_SSE_SOURCE_FAILED', [attached.label]).message);
    this.end();
  }

  /**
   * Ends the stream gracefully: the response ends now, and the source is returned (its
   * `finally` runs, at once or when a pending `await` in it settles); the stream's `close`,
   * which the request's cleanup waits for, comes after that.
   */
  end(): void {
    if (this.#finished || this.destroyed) return;
    this.#finished = true;
    this.#stopHeartbeat();
    this.#attached?.live?.delete(this);
    const iterator = this.#iterator;
    if (iterator !== null && typeof iterator.return === 'function') this.#returning = this.#returnSource(iterator);
    this.push(null);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.#stopHeartbeat();
    this.#attached?.live?.delete(this);
    const iterator = this.#iterator;
    if (!this.#finished && iterator !== null && typeof iterator.return === 'function') {
      // An async generator suspended in an `await` finishes that await first: its `finally`
      // runs when it would next resume.
      this.#returning = this.#returnSource(iterator);
    }
    this.#finished = true;
    if (this.#returning === null) callback(err);
    else this.#returning.then(() => callback(err));
  }

  #returnSource(iterator: AsyncIterator<unknown>): Promise<void> {
    let returned: unknown;
    try {
      returned = iterator.return!();
    } catch (err) {
      this.#logCleanup(err);
      return Promise.resolve();
    }
    return Promise.resolve(returned).then(() => undefined, (err: unknown) => this.#logCleanup(err));
  }

  #logCleanup(err: unknown): void {
    this.#attached?.log.error({ err, code: 'CELLO_ERR_SSE_SOURCE_FAILED' }, `the event source of ${this.#attached.label} failed while closing`);
  }

  #stopHeartbeat(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }
}
