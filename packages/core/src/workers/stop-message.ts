/**
 * What the primary sends a worker to stop it gracefully. A message rather than a signal: a
 * Ctrl-C or a systemd stop signals the whole process group, and a second, forwarded signal
 * would make the worker skip its drain (a second signal forces the exit). The worker waits
 * `afterMs` for a signal of its own and acts on the message only if none came.
 */
export interface StopMessage {
  // Not `'stop'`: that is what `cello dev` sends the process it runs, which may itself be a primary.
  cello: 'stop-worker';
  signal: NodeJS.Signals;
  afterMs: number;
}

export function isStopMessage(value: unknown): value is StopMessage {
  return typeof value === 'object' && value !== null && (value as StopMessage).cello === 'stop-worker';
}

/** Long enough for a group signal to land before the message acts, short enough not to be noticed. */
export const groupSignalGraceMs = 200;
