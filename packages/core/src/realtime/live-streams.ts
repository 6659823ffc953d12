/** Something that stays open after its handler returned and must be ended when the app closes. */
export interface LiveStream {
  /** Ends it gracefully (an event stream ends its response; its source's `finally` runs). */
  end(): void;
}

/**
 * The app's open event streams: `close()` ends them first, so a connected EventSource does not
 * hold the shutdown until `shutdownTimeout` cuts it.
 */
export class LiveStreams {
  readonly #open = new Set<LiveStream>();
  #closing = false;

  add(stream: LiveStream): void {
    if (this.#closing) stream.end();
    else this.#open.add(stream);
  }

  delete(stream: LiveStream): void {
    this.#open.delete(stream);
  }

  get size(): number {
    return this.#open.size;
  }

  endAll(): void {
    this.#closing = true;
    for (const stream of [...this.#open]) stream.end();
    this.#open.clear();
  }
}
