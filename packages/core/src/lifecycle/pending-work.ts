/**
 * Counts work running after responses (dependency cleanup, background tasks) so that close()
 * can wait for it. A counter rather than a set of promises: this sits on the request path of
 * every route with dependencies or tasks, and must not allocate a promise per request.
 */
export class PendingWork {
  #count = 0;
  #idle: Array<() => void> = [];

  get size(): number {
    return this.#count;
  }

  started(): void {
    this.#count++;
  }

  done(): void {
    this.#count--;
    if (this.#count === 0 && this.#idle.length > 0) {
      const waiters = this.#idle;
      this.#idle = [];
      for (const wake of waiters) wake();
    }
  }

  /** Resolves true once nothing is pending, or false when `ms` passed first. */
  whenIdle(ms: number): Promise<boolean> {
    if (this.#count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#idle = this.#idle.filter((w) => w !== wake);
        resolve(false);
      }, Math.max(0, ms));
      this.#idle.push(wake);
    });
  }
}
