import { requestShutdown } from '../lifecycle/signals.js';
import { isStopMessage } from './stop-message.js';

let following = false;

/**
 * In a cluster worker: a stop request from the primary starts the same graceful shutdown as a
 * signal, unless the worker got the signal itself in the meantime (Ctrl-C and systemd signal
 * the whole process group). Installed once per process.
 */
export function followPrimary(): void {
  if (following) return;
  following = true;
  process.on('message', (message: unknown) => {
    if (!isStopMessage(message)) return;
    setTimeout(() => {
      // No app here handles signals (handleSignals: false): the app's own handler, or the
      // default (to die), decides.
      if (!requestShutdown(message.signal)) process.kill(process.pid, message.signal);
    }, message.afterMs);
  });
}

/**
 * A worker whose app failed to start must end: cluster holds its IPC channel open, so it would
 * otherwise stay alive without serving, and the primary could neither replace it nor give up.
 * The exit waits a moment so the entry's own `.catch()` can report the error first.
 */
export function exitAfterFailedStart(): void {
  if (!process.exitCode) process.exitCode = 1;
  setTimeout(() => process.exit(), 200).unref();
}
