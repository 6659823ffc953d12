import { join } from 'node:path';
import { freePort, getFresh } from './helpers/cluster-http';
import { App } from '@cello/core';
import { startScript, type ScriptProcess } from './helpers/script-process';

// Real processes: the fixture is an entry that calls app.listen({ workers }), so it runs as the
// primary here and again in every worker it forks.
const fixture = join(__dirname, 'fixtures/workers-server.js');

type Cluster = ScriptProcess;

const running: Cluster[] = [];

function start(env: Record<string, string>): Cluster {
  const cluster = startScript(fixture, env, { stderr: true });
  running.push(cluster);
  return cluster;
}

afterAll(() => {
  // Only if a test failed half-way: the primary's own exit path ends its workers.
  for (const { child } of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

const get = getFresh;

const pidOf = async (port: number): Promise<number> => (JSON.parse((await get(port, '/pid')).body) as { pid: number }).pid;

const logged = (lines: readonly string[], code: string): Array<{ msg: string; pid: number }> =>
  lines.map((l) => { try { return JSON.parse(l); } catch { return {}; } }).filter((l) => l.code === code);

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function servingPids(port: number, count: number): Promise<Set<number>> {
  const seen = new Set<number>();
  // Round-robin makes two answers enough; the bound only turns a bug into a failure.
  for (let i = 0; i < 50 && seen.size < count; i++) seen.add(await pidOf(port));
  return seen;
}

describe('listen({ workers })', () => {
  test('serves from every worker on one port; startup hooks run in the workers only; kill -9 of a worker is followed by a replacement; SIGTERM exits 0', async () => {
    const port = await freePort();
    const { child, lines, next, exited } = start({ PORT: String(port), WORKERS: '2' });
    const primary = child.pid!;
    // The primary's listen() resolves once both workers listen.
    expect(await next(new RegExp(`^listening .* in ${primary}$`))).toBe(`listening http://127.0.0.1:${port} in ${primary}`);

    const workers = await servingPids(port, 2);
    expect(workers.size).toBe(2);
    expect(workers.has(primary)).toBe(false);
    const hooks = lines.filter((l) => l.startsWith('startup hook in '));
    expect(hooks.sort()).toEqual([...workers].map((pid) => `startup hook in ${pid}`).sort());

    const [victim, survivor] = [...workers] as [number, number];
    process.kill(victim, 'SIGKILL');
    await next(new RegExp(`worker ${victim} died \\(SIGKILL\\); starting another`));
    expect(logged(lines, 'CELLO_ERR_WORKERS_WORKER_DIED')).toHaveLength(1);
    const replacement = await next(new RegExp(`^startup hook in (?!${victim}$|${survivor}$)\\d+$`));
    const replacementPid = Number(replacement.split(' ').pop());
    expect(await servingPids(port, 2)).toEqual(new Set([survivor, replacementPid]));

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.filter((l) => l.startsWith('shutdown hook in ')).sort()).toEqual([`shutdown hook in ${replacementPid}`, `shutdown hook in ${survivor}`].sort());
    expect(isAlive(survivor)).toBe(false);
    expect(isAlive(replacementPid)).toBe(false);
  }, 60_000);

  test('SIGTERM to the primary with requests in flight: every one is answered, background tasks run, no worker is replaced, exit 0', async () => {
    const port = await freePort();
    const { child, lines, next, exited } = start({ PORT: String(port), WORKERS: '2', SLOW_MS: '1500' });
    await next(new RegExp(`^listening .* in ${child.pid}$`));

    const requests = Array.from({ length: 8 }, () => get(port, '/slow'));
    // Every request has reached a handler, in both workers, before the signal.
    await waitUntil(() => lines.filter((l) => l.startsWith('slow started ')).length === 8);
    const handling = new Set(lines.filter((l) => l.startsWith('slow started ')).map((l) => l.split(' ').pop()));
    expect(handling.size).toBe(2);
    child.kill('SIGTERM');

    const answers = await Promise.all(requests);
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(await exited).toBe(0);
    expect(lines.filter((l) => l.startsWith('task done ')).length).toBe(8);
    expect(lines.filter((l) => l.startsWith('shutdown hook in ')).length).toBe(2);
    expect(logged(lines, 'CELLO_ERR_WORKERS_WORKER_DIED')).toHaveLength(0);
    expect(lines.filter((l) => l.startsWith('startup hook in ')).length).toBe(2);
  }, 60_000);

  test('app.close() in the primary stops every worker gracefully; then the primary ends by itself', async () => {
    const port = await freePort();
    const { child, lines, exited } = start({ PORT: String(port), WORKERS: '2', CLOSE_AFTER_LISTEN: '1' });
    expect(await exited).toBe(0);
    expect(lines).toContain(`closed in ${child.pid}`);
    expect(lines.filter((l) => l.startsWith('shutdown hook in ')).length).toBe(2);
    expect(lines).not.toContain(`shutdown hook in ${child.pid}`);
    expect(logged(lines, 'CELLO_ERR_WORKERS_WORKER_DIED')).toHaveLength(0);
  }, 60_000);

  test('a worker that crashes at startup is retried a few times, then the primary exits 1 and listen() rejects there', async () => {
    const port = await freePort();
    const { child, lines, exited } = start({ PORT: String(port), WORKERS: '2', FAIL_STARTUP: '1' });
    expect(await exited).toBe(1);
    const retries = logged(lines, 'CELLO_ERR_WORKERS_WORKER_DIED').map((l) => l.msg);
    expect(retries[0]).toMatch(/^worker \d+ exited \(code 1\) before listening \(failed start 1 of 5\); starting another in 250 ms$/);
    expect(retries).toHaveLength(4);
    expect(logged(lines, 'CELLO_ERR_WORKERS_START_FAILED')).toHaveLength(1);
    expect(lines).toContain(`failed to start in ${child.pid}: CELLO_ERR_WORKERS_START_FAILED The app failed to start 5 times in a row in a worker (the last one exited with code 1 before listening): giving up, and the primary exits with code 1. The worker's error is in the log above; run the app without workers to see it on its own.`);
    // Each worker reported the real cause; the primary ran no hook.
    expect(lines.filter((l) => /^failed to start in \d+: {2}database unreachable$/.test(l)).length).toBeGreaterThanOrEqual(5);
    expect(lines).not.toContain(`startup hook in ${child.pid}`);
  }, 60_000);

  test('a worker that hangs through shutdown is killed after shutdownTimeout; the primary exits 1', async () => {
    const port = await freePort();
    const { child, lines, next, exited } = start({ PORT: String(port), WORKERS: '1', SHUTDOWN_TIMEOUT: '0.5' });
    await next(new RegExp(`^listening .* in ${child.pid}$`));
    get(port, '/hang').catch(() => undefined);
    const hung = Number((await next(/^hanging /)).split(' ').pop());
    child.kill('SIGTERM');
    expect(await exited).toBe(1);
    expect(logged(lines, 'CELLO_ERR_WORKERS_KILLED').map((l) => l.msg)).toEqual([`worker ${hung} still running 2500 ms after the stop request (shutdownTimeout + 2000 ms); killing it`]);
    expect(isAlive(hung)).toBe(false);
  }, 60_000);

  test.each([0, -1, 1.5, Number.NaN, 'two'])('workers: %p is refused before anything starts', async (workers) => {
    const app = new App({ logger: false });
    await expect(app.listen({ port: 0, workers: workers as number })).rejects.toMatchObject({
      code: 'CELLO_ERR_WORKERS_INVALID',
      message: expect.stringContaining("workers must be 'auto' (one per CPU) or a whole number from 1 up"),
    });
  });

  test('an app that already started here cannot become a primary', async () => {
    const app = new App({ logger: false });
    await app.ready();
    await expect(app.listen({ port: 0, workers: 2 })).rejects.toMatchObject({ code: 'CELLO_ERR_WORKERS_AFTER_START' });
    await app.close();
  });

  test('a route table error shows in the primary, before any worker is forked', async () => {
    const app = new App({ logger: false });
    app.get('/a', () => 1);
    app.get('/a/', () => 2);
    await expect(app.listen({ port: 0, workers: 2 })).rejects.toMatchObject({ code: 'CELLO_ERR_ROUTE_DUPLICATE' });
  });

  test('CELLO_WORKERS (set by cello start --workers) is checked the same way', async () => {
    process.env.CELLO_WORKERS = 'many';
    try {
      const app = new App({ logger: false });
      await expect(app.listen({ port: 0 })).rejects.toMatchObject({ code: 'CELLO_ERR_WORKERS_INVALID', message: expect.stringMatching(/^CELLO_WORKERS=many: /) });
    } finally {
      delete process.env.CELLO_WORKERS;
    }
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  // Not a timing assertion: jest's test timeout turns a hang into a failure.
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}
