import type { FastifyBaseLogger } from 'fastify';
import type { QueuedTask } from './background-tasks.js';

/** Runs tasks one after another; a failure is logged (the logger carries the request id) and the next still runs. */
export async function runTasks(tasks: readonly QueuedTask[], log: FastifyBaseLogger, onFailure: (() => void) | null = null): Promise<void> {
  for (const task of tasks) {
    try {
      await task.fn(...task.args);
    } catch (err) {
      onFailure?.();
      log.error({ err, code: 'CELLO_ERR_BACKGROUND_TASK_FAILED', task: task.fn.name || 'anonymous' }, `background task ${task.fn.name || 'anonymous'} failed`);
    }
  }
}
