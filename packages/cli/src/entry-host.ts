import { pathToFileURL } from 'node:url';
import { loadFailure } from './load-failure.js';
import { isStopMessage } from './stop-message.js';

/**
 * Runs an app entry (CELLO_ENTRY) for `cello dev`. Its job is to make a stop request from cello
 * arrive as exactly one signal: a Ctrl-C signals the whole process group, and a second,
 * forwarded signal would make the app skip its graceful drain and exit 1. (`cello start
 * --workers` needs none of this: @cello/core's listen() runs the cluster.)
 */
const entry = process.env.CELLO_ENTRY;
let signalled = false;

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, function onSignal() {
    signalled = true;
    // The app has no handler of its own (handleSignals: false): keep the default, which is to die.
    if (process.listenerCount(signal) === 1) {
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    }
  });
}

process.on('message', (message: unknown) => {
  if (!isStopMessage(message)) return;
  setTimeout(() => {
    if (!signalled) process.kill(process.pid, message.signal);
  }, message.afterMs);
});
// Listening for messages must not keep an app alive that has finished shutting down.
process.channel?.unref();

if (!entry) {
  process.stderr.write('[cello] CELLO_ENTRY is not set: this file is run by `cello dev`\n');
  process.exit(1);
}
import(pathToFileURL(entry).href).catch((err: unknown) => {
  process.stderr.write(`[cello] ${loadFailure(entry, err)}\n`);
  process.exit(1);
});
