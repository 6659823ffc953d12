// `npm start` at the repository root, stopped the way Docker, systemd or a process manager stops
// it: SIGTERM to the npm process alone, never to its group. The example must get the signal,
// drain, close its database and free the port; npm then exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { eventually } from './support/eventually';

const repoRoot = resolve(__dirname, '..', '..', '..');
let npm: ChildProcess | undefined;

afterAll(() => {
  // Only if the test failed midway: end whatever is left of the group it started.
  try {
    if (npm?.pid) process.kill(-npm.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
});

const freePort = () => new Promise<number>((done) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => done(port));
  });
});

/** The status of GET path, or undefined when nothing answers. */
const status = (port: number, path: string) => new Promise<number | undefined>((done) => {
  const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
    res.resume();
    res.on('end', () => done(res.statusCode));
  });
  req.on('error', () => done(undefined));
  req.end();
});

test('SIGTERM to the npm that `npm start` started stops the example gracefully and frees its port', async () => {
  const port = await freePort();
  npm = spawn('npm', ['start'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), DATABASE_URL: '', PGLITE_DATA_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  npm.stdout!.on('data', (d) => (output += d));
  npm.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((done) => npm!.on('exit', (code) => done(code)));

  await eventually(() => status(port, '/hello'), 'the example to serve', 120_000).catch((err: Error) => {
    throw new Error(`${err.message}\nOutput so far:\n${output}`);
  });
  npm.kill('SIGTERM');

  expect(await exited).toBe(0);
  expect(output).toContain('received SIGTERM, shutting down gracefully');
  expect(output).toContain('database closed');
  expect(await status(port, '/hello')).toBeUndefined();
}, 180_000);
