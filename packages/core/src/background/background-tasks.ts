import { celloError } from '../errors/cello-error.js';
export type TaskFunction<A extends unknown[] = any[]> = (...args: A) => unknown;

export interface QueuedTask {
  readonly fn: TaskFunction;
  readonly args: readonly unknown[];
}

/**
 * Work to do after the response has been delivered: type a handler parameter as
 * `tasks: BackgroundTasks` (or use `ctx.background`). Tasks run one after another in the order
 * added, only if the handler returned normally; a failing task is logged and the next still runs.
 *
 * @example
 * tasks.add(sendConfirmationEmail, order.id);
 */
export class BackgroundTasks {
  readonly #queue: QueuedTask[] = [];

  /** Queues `fn(...args)`; sync and async functions both work. */
  add<A extends unknown[]>(fn: TaskFunction<A>, ...args: A): void {
    if (typeof fn !== 'function') throw celloError('CELLO_ERR_BACKGROUND_TASK_INVALID', [typeof fn]);
    this.#queue.push({ fn: fn as TaskFunction, args });
  }

  /** Alias of `add`. */
  addTask<A extends unknown[]>(fn: TaskFunction<A>, ...args: A): void {
    this.add(fn, ...args);
  }

  /** How many tasks are queued. */
  get size(): number {
    return this.#queue.length;
  }

  /** @internal Takes the queued tasks out (the runner owns them from here). */
  drain(): QueuedTask[] {
    return this.#queue.splice(0, this.#queue.length);
  }
}
