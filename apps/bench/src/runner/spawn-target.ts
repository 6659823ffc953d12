// Starts a target in its own process and times it from spawn to its first good answer.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import type { Target } from '../target-registry.js';
import { send } from './http-request.js';

export interface RunningTarget {
  target: Target;
  port: number;
  /** Milliseconds from spawn to the first 200 on GET /hello. */
  startupMs: number;
  /** Resident set size of the target process now, in bytes. */
  rss(): number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb[1]) * 1024;
}

function stopChild(child: ChildProcess, graceful: boolean): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    if (!graceful) {
      child.kill('SIGKILL');
      return;
    }
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
}

export interface StartOptions {
  timeoutMs?: number;
  /** Extra environment, e.g. CELLO_WORKERS to run Cello's target as a cluster. */
  env?: NodeJS.ProcessEnv;
  /** Stop with SIGTERM (SIGKILL after 15 s): a cluster primary stops its workers, SIGKILL would orphan them. */
  gracefulStop?: boolean;
}

export async function startTarget(target: Target, options: StartOptions = {}): Promise<RunningTarget> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  // NODE_ENV=production as instr-per-request.mjs sets it: express and others branch on it.
  const child = spawn(process.execPath, [target.entry], {
    env: { ...process.env, ...options.env, PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
  let exited: string | undefined;
  child.on('exit', (code, signal) => { exited = `exited (${signal ?? code})`; });

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (exited) throw new Error(`${target.label} ${exited} before answering:\n${stderr}`);
    try {
      const answer = await send(port, { method: 'GET', path: '/hello' }, 1000);
      if (answer.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopChild(child, options.gracefulStop === true);
      throw new Error(`${target.label} did not answer GET /hello within ${options.timeoutMs ?? 30_000} ms:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { target, port, startupMs, rss: () => rssOf(child.pid!), stop: () => stopChild(child, options.gracefulStop === true) };
}
