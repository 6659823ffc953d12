import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startScript } from './helpers/script-process';
import { App } from '@cello/core';

const fixture = join(__dirname, 'fixtures/sigterm-server.js');

const start = (env: Record<string, string> = {}) => startScript(fixture, env);

const exitCode = (child: ChildProcess) => new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

describe('signals (a real child process)', () => {
  test('SIGTERM during an in-flight request: it completes with 200, tasks and shutdown hooks run, exit 0', async () => {
    const { child, lines, next } = start();
    const url = (await next(/^listening /)).split(' ')[1]!;
    const response = fetch(`${url}/slow`);
    await next(/^slow started$/);
    child.kill('SIGTERM');
    const res = await response;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ slow: 'done' });
    expect(await exitCode(child)).toBe(0);
    expect(lines.slice(1)).toEqual(['slow started', 'task done', 'shutdown hook']);
  });

  test('a second signal during shutdown forces exit 1', async () => {
    const { child, lines, next } = start({ SLOW_MS: '5000', LOG: '1' });
    const url = (await next(/^listening /)).split(' ')[1]!;
    fetch(`${url}/slow`).catch(() => undefined);
    await next(/^slow started$/);
    child.kill('SIGTERM');
    await next(/shutting down gracefully/);
    // Past the window in which a repeat counts as a copy of the first (see the next test).
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(1);
    const forced = lines.map((l) => { try { return JSON.parse(l); } catch { return {}; } }).find((l) => l.code === 'CELLO_ERR_LIFECYCLE_FORCED_EXIT');
    expect(forced.msg).toContain('Still running: 1 open connection(s)');
  });

  test('copies of one signal (a Ctrl-C reaching the process group and npm passing it on) are one graceful stop, exit 0', async () => {
    const { child, lines, next } = start();
    const url = (await next(/^listening /)).split(' ')[1]!;
    const response = fetch(`${url}/slow`);
    await next(/^slow started$/);
    child.kill('SIGINT');
    child.kill('SIGINT');
    child.kill('SIGINT');
    expect((await response).status).toBe(200);
    expect(await exitCode(child)).toBe(0);
    expect(lines.slice(1)).toEqual(['slow started', 'task done', 'shutdown hook']);
  });

  const logged = (lines: string[], code: string) =>
    lines.map((l) => { try { return JSON.parse(l); } catch { return {}; } }).filter((l) => l.code === code);

  test('a handler still running at shutdownTimeout: its connection is cut, exit 1', async () => {
    const { child, lines, next } = start({ SLOW_MS: '60000', SHUTDOWN_TIMEOUT: '0.2', LOG: '1' });
    const url = (await next(/^listening /)).split(' ')[1]!;
    const cut = fetch(`${url}/slow`).then(() => 'answered', () => 'cut');
    await next(/^slow started$/);
    child.kill('SIGTERM');

    expect(await exitCode(child)).toBe(1);
    expect(await cut).toBe('cut');
    expect(logged(lines, 'CELLO_ERR_LIFECYCLE_SHUTDOWN_TIMEOUT')).toHaveLength(1);
    expect(lines).toContain('shutdown hook');
  });

  test('a background task still running at shutdownTimeout: exit 1', async () => {
    const { child, lines, next } = start({ SHUTDOWN_TIMEOUT: '0.2', LOG: '1' });
    const url = (await next(/^listening /)).split(' ')[1]!;
    expect((await fetch(`${url}/stuck-task`)).status).toBe(200);
    await next(/^stuck task started$/);
    child.kill('SIGTERM');

    expect(await exitCode(child)).toBe(1);
    expect(logged(lines, 'CELLO_ERR_LIFECYCLE_SHUTDOWN_TIMEOUT')).toHaveLength(1);
    expect(lines).toContain('shutdown hook');
  });

  test('a failing shutdown hook: the other steps still run, exit 1', async () => {
    const { child, lines, next } = start({ FAIL_HOOK: '1', LOG: '1' });
    await next(/^listening /);
    child.kill('SIGTERM');

    expect(await exitCode(child)).toBe(1);
    expect(logged(lines, 'CELLO_ERR_LIFECYCLE_SHUTDOWN_FAILED')).toHaveLength(1);
    expect(lines).toContain('shutdown hook');
  });

  test('one SIGTERM closes every listening app in the process before it exits', async () => {
    const { child, lines, next } = start({ SECOND_APP: '1' });
    await next(/^listening /);
    child.kill('SIGTERM');

    expect(await exitCode(child)).toBe(0);
    expect(lines).toContain('shutdown hook');
    expect(lines).toContain('second app shutdown hook');
  });
});

describe('many apps in one process', () => {
  test('eleven listening apps add one SIGINT and one SIGTERM listener, not eleven (no MaxListenersExceededWarning)', async () => {
    const before = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') };
    const warnings: Error[] = [];
    const onWarning = (w: Error) => { warnings.push(w); };
    process.on('warning', onWarning);
    const apps = Array.from({ length: 11 }, () => new App({ logger: false }));
    try {
      for (const app of apps) await app.listen({ port: 0, host: '127.0.0.1' });
      expect(process.listenerCount('SIGINT') - before.int).toBe(1);
      expect(process.listenerCount('SIGTERM') - before.term).toBe(1);
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      process.off('warning', onWarning);
    }
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
