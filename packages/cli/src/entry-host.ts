import cluster from 'node:cluster';
import { pathToFileURL } from 'node:url';
import { loadFailure } from './load-failure.js';
import { isStopMessage } from './stop-message.js';

/**
 * Runs an app entry (CELLO_ENTRY) for `cello start --workers` (as a cluster worker) and for
 * `cello dev`. Its job is to make a stop request from cello arrive as exactly one signal: a
 * Ctrl-C or systemd stop signals the whole process group, and a second, forwarded signal would
 * make the app skip its graceful drain and exit 1.
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
if (cluster.isWorker) holdChannelWhileListening();

/**
 * A cluster worker needs its IPC channel while it asks the primary for the listening socket
 * and while it serves (round-robin connections arrive over it), so the channel is held from
 * the first listen() on. Until then it is not: a worker whose app failed to start (its
 * listen() rejected, the entry set process.exitCode) would otherwise stay alive on the
 * channel alone, never serving, and the primary would neither replace it nor give up.
 */
function holdChannelWhileListening(): void {
  const internal = cluster as unknown as { _getServer?: (...args: unknown[]) => unknown };
  const getServer = internal._getServer;
  if (typeof getServer !== 'function') {
    process.channel?.ref(); // an unknown Node: keep the channel, as before
    return;
  }
  let listening = false;
  let asking = 0;
  internal._getServer = function (this: unknown, ...args: unknown[]) {
    asking++;
    process.channel?.ref();
    const cb = args[args.length - 1] as (err: unknown, ...rest: unknown[]) => void;
    args[args.length - 1] = (err: unknown, ...rest: unknown[]) => {
      asking--;
      if (!err) listening = true;
      if (!listening && asking === 0) process.channel?.unref();
      cb(err, ...rest);
    };
    return getServer.apply(this, args);
  };
  process.on('beforeExit', () => {
    if (listening) return;
    // Nothing left to run and never served: a failed start. Exit non-zero so the primary sees it.
    process.stderr.write(`[cello] worker ${process.pid}: the app stopped without listening; exiting\n`);
    process.exit(process.exitCode || 1);
  });
}

if (!entry) {
  process.stderr.write('[cello] CELLO_ENTRY is not set: this file is run by `cello start --workers` and `cello dev`\n');
  process.exit(1);
}
import(pathToFileURL(entry).href).catch((err: unknown) => {
  process.stderr.write(`[cello] ${loadFailure(entry, err)}\n`);
  process.exit(1);
});
