/**
 * `npx cello start` (and an npm script `cello start`) runs cello under `sh -c`, started by npm.
 * A process manager stops it by sending SIGTERM to npm; npm passes the signal to that shell, the
 * shell dies of it without passing it on, npm exits, and cello would go on serving with nobody
 * left to stop it. So while cello runs under npm, the parent going away counts as that SIGTERM:
 * cello sends it to itself and the app drains as usual.
 *
 * Only under npm (npm sets `npm_lifecycle_event` for scripts and `npx`): elsewhere a parent that
 * exits (`cello start &` in a shell script) leaves cello running on purpose. A signal that does
 * reach cello ends the watch, so the parent exiting during shutdown is not taken as a second one.
 */
export function stopWhenNpmParentExits(env: NodeJS.ProcessEnv = process.env): void {
  if (env.npm_lifecycle_event === undefined) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    stop();
    process.stderr.write(`[cello start] the npm process that started cello (through process ${parent}) has exited: stopping as on SIGTERM\n`);
    process.kill(process.pid, 'SIGTERM');
  }, 250);
  // Never what keeps the process alive: an app that has finished closing exits.
  timer.unref();

  const watchers = (['SIGTERM', 'SIGINT'] as const).map((signal) => {
    const onSignal = (): void => {
      stop();
      // No other listener (an app with handleSignals: false): the signal keeps its default, death.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
    return [signal, onSignal] as const;
  });
  function stop(): void {
    clearInterval(timer);
    for (const [signal, onSignal] of watchers) process.off(signal, onSignal);
  }
}
