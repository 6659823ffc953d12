// A process manager (docker stop, systemd, pm2) sends SIGTERM to the process it started, and
// that is often npm. These tests signal only that process, never its group, and check that the
// app drained: its port is free and its shutdown hook ran.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleApp } from './sample-app';
import { Background, cli, freePort, get, linkNodeModules, repoRoot, run, runCli, removeTempDirs, tempDir, waitFor } from './support';

const running: Background[] = [];

afterAll(() => {
  for (const b of running) b.killGroup();
  removeTempDirs();
});

/** Runs a command in its own process group (so afterAll can clean up), output collected. */
function startCommand(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Background {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const background = new Background(child);
  running.push(background);
  return background;
}

/**
 * The sample app with a node_modules of its own holding a `cello` binary, as an install makes it,
 * so `npx cello` finds it locally (the repository's root node_modules has no .bin/cello).
 */
function npxApp(): string {
  const dir = sampleApp('npx');
  const modules = join(dir, 'node_modules');
  unlinkSync(modules);
  mkdirSync(join(modules, '.bin'), { recursive: true });
  for (const name of readdirSync(join(repoRoot, 'node_modules'))) {
    if (name !== '.bin') symlinkSync(join(repoRoot, 'node_modules', name), join(modules, name));
  }
  const bin = join(modules, '.bin', 'cello');
  writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
  chmodSync(bin, 0o755);
  return dir;
}

describe('SIGTERM to npm alone stops the app gracefully', () => {
  test('npx cello start', async () => {
    const dir = npxApp();
    const port = await freePort();
    const marker = join(dir, 'stopped.txt');
    // --no: never fetch a `cello` package from the registry if the local one were missing.
    const npx = startCommand('npx', ['--no', 'cello', 'start'], dir, { PORT: String(port), SHUTDOWN_MARKER: marker });
    await waitFor(() => get(port, '/pid').then((r) => r ?? undefined), { what: 'the app to serve', output: () => npx.output, deadlineMs: 60_000 });

    npx.child.kill('SIGTERM');
    await npx.exited;
    await waitFor(() => existsSync(marker), { what: 'the shutdown hook', output: () => npx.output, deadlineMs: 30_000 });
    await waitFor(async () => (await get(port, '/pid')) === null, { what: 'the port to be released', output: () => npx.output, deadlineMs: 30_000 });
    expect(readFileSync(marker, 'utf8')).toBe('stopped');
  }, 120_000);

  test("the generated project's npm start", async () => {
    const dir = tempDir('npm-start');
    expect((await runCli(['new', 'signals', '--no-install'], { cwd: dir })).code).toBe(0);
    const project = join(dir, 'signals');
    linkNodeModules(project);
    const main = join(project, 'src', 'main.ts');
    writeFileSync(main, readFileSync(main, 'utf8').replace(
      'const app = createApp();',
      "const app = createApp();\napp.onEvent('shutdown', () => console.log('shutdown hook ran'));",
    ));
    const built = await run('npm', ['run', 'build'], { cwd: project });
    if (built.code !== 0) throw new Error(`npm run build failed:\n${built.stdout}\n${built.stderr}`);

    const port = await freePort();
    const npm = startCommand('npm', ['start'], project, { PORT: String(port) });
    await waitFor(() => get(port, '/health').then((r) => r ?? undefined), { what: 'the app to serve', output: () => npm.output, deadlineMs: 60_000 });

    npm.child.kill('SIGTERM');
    expect(await npm.exited).toBe(0);
    expect(npm.output).toContain('received SIGTERM, shutting down gracefully');
    expect(npm.output).toContain('shutdown hook ran');
    expect(await get(port, '/health')).toBeNull();
  }, 180_000);
});
