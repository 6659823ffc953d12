/**
 * What `cello dev` sends the app process (run by entry-host.js) to stop it gracefully. `afterMs`
 * is how long to wait for a signal the process may have received directly (the process group
 * got it); 0 when only cello is stopping it (a dev restart).
 */
export interface StopMessage {
  cello: 'stop';
  signal: NodeJS.Signals;
  afterMs: number;
}

export function isStopMessage(value: unknown): value is StopMessage {
  return typeof value === 'object' && value !== null && (value as StopMessage).cello === 'stop';
}

/** Long enough for a group signal to land before the message, short enough not to be noticed. */
export const groupSignalGraceMs = 200;
