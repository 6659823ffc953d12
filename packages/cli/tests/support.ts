import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The built binary: these tests run what users run (`npx tsc -b` first). */
export const cli = resolve(__dirname, '..', 'dist', 'cli.js');
export const repoRoot = resolve(__dirname, '..', '..', '..');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ...args` to completion, stdin closed (not a terminal). */
export function runCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  return run(process.execPath, [cli, ...args], options);
}

export function run(command: string, args: readonly string[], options: SpawnOptions & { cwd: string }): Promise<RunResult> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { ...options, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Starts `node dist/cli.js ...args` in the background, in its own process group, output collected. */
export function startCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Background {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  return new Background(child);
}

export class Background {
  output = '';
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
    this.exited = new Promise((done) => child.on('exit', (code) => done(code)));
  }

  /**
   * Last resort in afterAll: ends the process group this test started (cello and its children),
   * even when its leader has exited (npm gone, the app it started still serving).
   */
  killGroup(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

const made: string[] = [];

export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cello-cli-${label}-`));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Gives a generated project the monorepo's installed packages (typescript, jest, @cello/core,
 * ...) without an `npm install`; only the one slow test installs for real.
 */
export function linkNodeModules(project: string): void {
  symlinkSync(join(repoRoot, 'node_modules'), join(project, 'node_modules'), 'dir');
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** GET over a fresh connection (so cluster workers take turns); null when nothing answers. */
export function get(port: number, path: string): Promise<{ status: number; body: string } | null> {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => done({ status: res.statusCode!, body }));
      res.on('error', () => done(null));
    });
    req.on('error', () => done(null));
    // A connection accepted but never answered counts as no answer, so polling goes on.
    req.setTimeout(5000, () => req.destroy());
    req.end();
  });
}

/**
 * Polls until `check` returns a value other than undefined/false. Not a timing assertion: the
 * deadline only turns a hang into a failure that says what was awaited and what the process printed.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: { what: string; output?: () => string; deadlineMs?: number } = { what: 'a condition' },
): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + (options.deadlineMs ?? 100_000);
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
    if (Date.now() > deadline) {
      throw new Error(`Gave up waiting for ${options.what}.${options.output ? `\nOutput so far:\n${options.output()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The message of a clear CLI error: exit code 1 and exactly one `cello: ...` line on stderr. */
export function expectCliError(result: RunResult, pattern: RegExp): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^cello: /);
  expect(lines[0]).toMatch(pattern);
}
