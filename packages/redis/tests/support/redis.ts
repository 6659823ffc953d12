import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const redisUrl = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

const probe = `
const net = require('node:net');
const { hostname, port } = new URL(process.env.PROBE_URL);
const socket = net.connect(Number(port || 6379), hostname);
socket.setTimeout(3000, () => { console.error('no answer within 3 s'); process.exit(1); });
socket.on('error', (err) => { console.error(err.message); process.exit(1); });
socket.on('connect', () => socket.write('PING\\r\\n'));
socket.on('data', (d) => { if (String(d).startsWith('+PONG')) process.exit(0); console.error(String(d)); process.exit(1); });
`;

function probeRedis(url: string): { ok: true } | { ok: false; reason: string } {
  const result = spawnSync(process.execPath, ['-e', probe], { env: { ...process.env, PROBE_URL: url }, encoding: 'utf8', timeout: 10_000 });
  if (result.status === 0) return { ok: true };
  return { ok: false, reason: (result.stderr || result.error?.message || `exit ${result.status}`).trim() };
}

/**
 * `describe` for tests that need the Redis at 127.0.0.1:6379: they fail loudly in CI when it is
 * not there, and are skipped with a message elsewhere.
 */
export function describeWithRedis(title: string, body: () => void): void {
  const reachable = probeRedis(redisUrl);
  if (reachable.ok) {
    describe(title, body);
  } else if (process.env.CI) {
    test(`${title}: Redis is reachable (required in CI)`, () => {
      throw new Error(`Redis at ${redisUrl} is not reachable: ${reachable.reason}`);
    });
  } else {
    console.warn(`Skipping "${title}": Redis at ${redisUrl} is not reachable (${reachable.reason}). CI runs it.`);
    describe.skip(`${title} (Redis not reachable)`, () => test('needs Redis', () => undefined));
  }
}

/** A key prefix no other test run uses; `dropKeys` removes what it wrote. */
export function uniquePrefix(): string {
  return `cello-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

export async function dropKeys(prefix: string, url = redisUrl): Promise<void> {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string, ms = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${ms} ms:\n${out}\n${err}`)), ms);
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.stderr!.on('data', (d: Buffer) => { err += d; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it started:\n${out}\n${err}`));
    });
  });
}

export interface Instance {
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything it wrote to stderr so far (its store warnings). */
  stderr(): string;
  /** Resolves to the exit code. */
  readonly exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const fixture = join(__dirname, '..', 'fixtures', 'instance.cjs');

/** One app instance in its own process (tests/fixtures/instance.cjs, built packages). */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, [fixture], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const [, url] = await waitForLine(child, /LISTENING (\S+)\n/, 'app instance');
  return {
    url: url!,
    process: child,
    stderr: () => stderr,
    exited,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGKILL: gone at once, as in a crash). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) it: connected, but answering nothing. */
  freeze(): void;
  thaw(): void;
}

/** A redis-server of the test's own (Debian's binary), on a free port, keeping nothing on disk. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.on('error', () => undefined);
    for (let i = 0; i < 400; i++) {
      if (probeRedis(`redis://127.0.0.1:${port}`).ok) return;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server on port ${port} did not start (is Debian's redis-server installed?)`);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    async stop() {
      const c = child!;
      if (c.exitCode !== null || c.signalCode !== null) return;
      const gone = new Promise((r) => c.on('exit', r));
      c.kill('SIGCONT');
      c.kill('SIGKILL');
      await gone;
    },
    freeze: () => { child!.kill('SIGSTOP'); },
    thaw: () => { child!.kill('SIGCONT'); },
  };
}
