import { sampleApp } from './sample-app';
import { type Background, expectCliError, freePort, get, runCli, startCli, tempDir, removeTempDirs, waitFor } from './support';

const running: Background[] = [];

afterAll(() => {
  for (const b of running) b.killGroup();
  removeTempDirs();
});

const pidOf = async (port: number): Promise<number | undefined> => {
  const res = await get(port, '/pid');
  return res?.status === 200 ? (JSON.parse(res.body) as { pid: number }).pid : undefined;
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('cello start', () => {
  let dir: string;
  beforeAll(() => {
    dir = sampleApp('start');
  });

  test('runs dist/main.js in its own process and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const server = startCli(['start'], { cwd: dir, env: { PORT: String(port) } });
    running.push(server);
    const pid = await waitFor(() => pidOf(port), { what: 'the app to serve', output: () => server.output, deadlineMs: 30_000 });
    expect(pid).toBe(server.child.pid);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 60_000);

  test('--workers 2 serves from two processes on one port, replaces a dead worker, and stops them all on SIGTERM', async () => {
    const port = await freePort();
    const primary = startCli(['start', '--workers', '2', '--entry', 'dist/main.js'], { cwd: dir, env: { PORT: String(port), APP_LOG: '1' } });
    running.push(primary);

    const output = { output: () => primary.output, deadlineMs: 40_000 };
    const seen = new Set<number>();
    await waitFor(async () => {
      const pid = await pidOf(port);
      if (pid !== undefined) seen.add(pid);
      return seen.size === 2;
    }, { what: 'answers from two workers', ...output });
    expect(seen.has(primary.child.pid!)).toBe(false);

    const [victim, survivor] = [...seen];
    process.kill(victim!, 'SIGKILL');
    const replacement = await waitFor(async () => {
      const pid = await pidOf(port);
      return pid !== undefined && pid !== victim && pid !== survivor ? pid : undefined;
    }, { what: 'an answer from the replacement worker', ...output });
    expect(primary.output).toContain(`worker ${victim} died`);

    primary.child.kill('SIGTERM');
    expect(await primary.exited).toBe(0);
    expect(isAlive(survivor!)).toBe(false);
    expect(isAlive(replacement)).toBe(false);
    expect(await get(port, '/pid')).toBeNull();
  }, 60_000);

  test('a Ctrl-C to the whole process group stops every worker gracefully, each signalled once', async () => {
    const port = await freePort();
    const primary = startCli(['start', '--workers', '2'], { cwd: dir, env: { PORT: String(port) } });
    running.push(primary);
    await waitFor(() => pidOf(port), { what: 'the workers to serve', output: () => primary.output, deadlineMs: 30_000 });
    // A second signal would force a worker to exit 1, and the primary would then exit 1 too.
    process.kill(-primary.child.pid!, 'SIGINT');
    expect(await primary.exited).toBe(0);
  }, 60_000);

  test('an app that fails to start exits 1, as without --workers', async () => {
    const port = await freePort();
    const single = startCli(['start'], { cwd: dir, env: { PORT: String(port), FAIL_STARTUP: '1' } });
    running.push(single);
    expect(await single.exited).toBe(1);
    expect(single.output).toContain('failed to start: database unreachable');
  }, 30_000);

  test('--workers: a worker whose start fails exits; after a few retries with back-off the primary gives up with exit 1', async () => {
    const port = await freePort();
    const primary = startCli(['start', '--workers', '2'], { cwd: dir, env: { PORT: String(port), FAIL_STARTUP: '1', APP_LOG: '1' } });
    running.push(primary);

    expect(await primary.exited).toBe(1);
    expect(primary.output).toContain('failed to start: database unreachable');
    expect(primary.output).toMatch(/worker \d+ exited \(code 1\) before listening \(failed start 1 of 5\); starting another in \d+ ms/);
    expect(primary.output).toMatch(/The app failed to start 5 times in a row in a worker .*: giving up/);
    expect(await get(port, '/pid')).toBeNull();
  }, 60_000);

  test('a missing entry says to build first', async () => {
    expectCliError(await runCli(['start'], { cwd: tempDir('start-none') }), /dist\/main\.js not found: build the project first/);
    expectCliError(await runCli(['start', '--workers', '2', '--entry', 'nope.js'], { cwd: dir }), /nope\.js not found/);
  });

  test.each(['0', 'two', '-1', '1.5'])('--workers %p is refused', async (value) => {
    expectCliError(await runCli(['start', '--workers', value], { cwd: dir }), /--workers must be 'auto' or a positive whole number/);
  });
});
