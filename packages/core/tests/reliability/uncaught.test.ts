import { join } from 'node:path';
import { startScript } from '../helpers/script-process';

const fixture = join(__dirname, '../fixtures/crash-server.js');

const start = (env: Record<string, string> = {}) => startScript(fixture, env);

const logged = (lines: string[], code: string) =>
  lines.map((l) => { try { return JSON.parse(l); } catch { return {}; } }).filter((l) => l.code === code);

describe('an uncaught error in app code (a real child process)', () => {
  test('an uncaught exception: logged, in-flight requests finish, shutdown hooks run, exit 1', async () => {
    const { child, lines, next, exited } = start({ SLOW_MS: '500' });
    const url = (await next(/^listening /)).split(' ')[1]!;
    const slow = fetch(`${url}/slow`);
    await next(/^slow started$/);
    expect((await fetch(`${url}/throw-later`)).status).toBe(200);

    expect((await slow).status).toBe(200);
    expect(await exited).toBe(1);
    const [fatal] = logged(lines, 'CELLO_ERR_LIFECYCLE_UNCAUGHT');
    expect(fatal).toMatchObject({ level: 60, msg: 'uncaught exception: boom in a timer', err: { message: 'boom in a timer' } });
    expect(lines.some((l) => l.includes('after an uncaught exception: closing gracefully, then exiting with code 1'))).toBe(true);
    expect(lines).toContain('shutdown hook');
    child.kill();
  });

  test('with requestContext on, the fatal line names the request whose code failed', async () => {
    const { lines, next, exited } = start({ REQUEST_CONTEXT: '1' });
    const url = (await next(/^listening /)).split(' ')[1]!;
    const answer = await fetch(`${url}/throw-later`, { headers: { 'x-request-id': 'req-crash-1' } });
    expect(answer.status).toBe(200);
    expect(await exited).toBe(1);
    expect(logged(lines, 'CELLO_ERR_LIFECYCLE_UNCAUGHT')[0]).toMatchObject({
      reqId: answer.headers.get('x-request-id') ?? expect.any(String),
      msg: expect.stringMatching(/^uncaught exception in request \S+: boom in a timer$/),
    });
  });

  test('an unhandled rejection: the same', async () => {
    const { lines, next, exited } = start();
    const url = (await next(/^listening /)).split(' ')[1]!;
    expect((await fetch(`${url}/reject-later`)).status).toBe(200);
    expect(await exited).toBe(1);
    expect(logged(lines, 'CELLO_ERR_LIFECYCLE_UNCAUGHT')[0]).toMatchObject({ msg: 'unhandled rejection: nobody awaited this' });
    expect(lines).toContain('shutdown hook');
  });

  test('the graceful close is bounded by shutdownTimeout: a request still running is cut, exit 1', async () => {
    const { lines, next, exited } = start({ SLOW_MS: '60000', SHUTDOWN_TIMEOUT: '0.2' });
    const url = (await next(/^listening /)).split(' ')[1]!;
    const cut = fetch(`${url}/slow`).then(() => 'answered', () => 'cut');
    await next(/^slow started$/);
    await fetch(`${url}/throw-later`);
    expect(await exited).toBe(1);
    expect(await cut).toBe('cut');
    expect(logged(lines, 'CELLO_ERR_LIFECYCLE_SHUTDOWN_TIMEOUT')).toHaveLength(1);
  });

  test('a SIGTERM during that shutdown exits at once, with a line saying what was still running', async () => {
    const { child, lines, next, exited } = start({ SLOW_MS: '60000' });
    const url = (await next(/^listening /)).split(' ')[1]!;
    fetch(`${url}/slow`).catch(() => undefined);
    await next(/^slow started$/);
    await fetch(`${url}/throw-later`);
    await next(/closing gracefully, then exiting with code 1/);
    child.kill('SIGTERM');
    expect(await exited).toBe(1);
    const [forced] = logged(lines, 'CELLO_ERR_LIFECYCLE_FORCED_EXIT');
    expect(forced.msg).toContain('received SIGTERM again during shutdown');
    expect(forced.msg).toContain('1 open connection(s)');
    expect(lines).not.toContain('shutdown hook');
  });
});
