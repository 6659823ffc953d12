import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectCliError, freePort, get, repoRoot, run, runCli, startCli, tempDir, removeTempDirs, waitFor } from './support';

afterAll(removeTempDirs);

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('cello new', () => {
  // The one slow test: a real install from the npm cache, then the project's own build and tests.
  test('creates a project that installs offline, builds, passes its tests, lists its routes and serves', async () => {
    const dir = tempDir('new');
    const created = await runCli(['new', 'my-app'], { cwd: dir });
    expect(created.stderr).not.toMatch(/ERR!/);
    expect(created.code).toBe(0);
    const project = join(dir, 'my-app');
    expect(existsSync(join(project, 'node_modules', '@cello', 'core'))).toBe(true);

    for (const script of ['build', 'test', 'typecheck']) {
      const result = await run('npm', ['run', script], { cwd: project });
      if (result.code !== 0) throw new Error(`npm run ${script} failed:\n${result.stdout}\n${result.stderr}`);
    }

    const routes = await run('npx', ['cello', 'routes'], { cwd: project });
    expect(routes.code).toBe(0);
    expect(routes.stdout).toMatch(/POST\s+\/items\s+ItemsController\.create/);

    const port = await freePort();
    const server = startCli(['start'], { cwd: project, env: { PORT: String(port) } });
    try {
      const res = await waitFor(() => get(port, '/items').then((r) => r ?? undefined), {
        what: 'the app to serve',
        output: () => server.output,
        deadlineMs: 30_000,
      });
      expect(res).toEqual({ status: 200, body: JSON.stringify({ items: [] }) });
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      server.killGroup();
    }
  }, 240_000);

  test('--no-install writes the project files, linked to the local packages', async () => {
    const dir = tempDir('new-files');
    const result = await runCli(['new', 'shop', '--no-install'], { cwd: dir });
    expect(result.code).toBe(0);
    const project = join(dir, 'shop');
    for (const file of [
      '.gitignore', 'README.md', 'package.json', 'tsconfig.json', 'jest.config.ts', 'src/app.ts', 'src/main.ts',
      'src/controllers/items.controller.ts', 'src/services/items.service.ts', 'src/dtos/create-item.dto.ts',
      'src/guards/api-key.guard.ts', 'tests/items.test.ts', 'tests/api-key.guard.test.ts',
    ]) {
      expect(existsSync(join(project, file))).toBe(true);
    }
    expect(existsSync(join(project, 'node_modules'))).toBe(false);
    const pkg = readJson(join(project, 'package.json'));
    expect(pkg.name).toBe('shop');
    expect(pkg.dependencies['@cello/core']).toBe(`file:${join(repoRoot, 'packages', 'core')}`);
    expect(pkg.devDependencies['@cello/cli']).toBe(`file:${join(repoRoot, 'packages', 'cli')}`);
    expect(pkg.overrides).toEqual({ 'light-my-request': '6.6.0' });
    // exec: the SIGTERM a process manager sends to `npm start` reaches node (npm-signals.test.ts).
    expect(pkg.scripts.start).toBe('exec node dist/main.js');
    expect(readFileSync(join(project, 'jest.config.ts'), 'utf8').startsWith('/** @jest-config-loader esbuild-register */')).toBe(true);
    expect(readFileSync(join(project, 'src/app.ts'), 'utf8')).toMatch(/export function createApp/);
  });

  test('the project uses the toolchain and peer dependency versions of this repository', async () => {
    const dir = tempDir('new-versions');
    await runCli(['new', 'versions', '--no-install'], { cwd: dir });
    const pkg = readJson(join(dir, 'versions', 'package.json'));
    const root = readJson(join(repoRoot, 'package.json'));
    const core = readJson(join(repoRoot, 'packages', 'core', 'package.json'));
    for (const [name, range] of Object.entries(pkg.devDependencies as Record<string, string>)) {
      if (name !== '@cello/cli') expect([name, range]).toEqual([name, root.devDependencies[name]]);
    }
    for (const [name, range] of Object.entries(core.peerDependencies as Record<string, string>)) {
      expect([name, pkg.dependencies[name]]).toEqual([name, range]);
    }
  });

  test('--pack depends on npm pack tarballs in vendor/', async () => {
    const dir = tempDir('new-pack');
    const result = await runCli(['new', 'packed', '--pack', '--no-install'], { cwd: dir });
    expect(result.code).toBe(0);
    const project = join(dir, 'packed');
    const pkg = readJson(join(project, 'package.json'));
    expect(pkg.dependencies['@cello/core']).toMatch(/^file:vendor\/cello-core-.*\.tgz$/);
    expect(pkg.devDependencies['@cello/cli']).toMatch(/^file:vendor\/cello-cli-.*\.tgz$/);
    expect(readdirSync(join(project, 'vendor')).sort()).toEqual([
      pkg.devDependencies['@cello/cli'].slice('file:vendor/'.length),
      pkg.dependencies['@cello/core'].slice('file:vendor/'.length),
    ]);
  });

  test('refuses a folder that is not empty, and leaves it alone', async () => {
    const dir = tempDir('new-exists');
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'notes.txt'), 'mine');
    const result = await runCli(['new', 'taken', '--no-install'], { cwd: dir });
    expectCliError(result, /taken already exists and is not an empty folder: choose another name or remove it/);
    expect(readdirSync(join(dir, 'taken'))).toEqual(['notes.txt']);
  });

  test('an empty folder is fine', async () => {
    const dir = tempDir('new-empty');
    mkdirSync(join(dir, 'empty'));
    const result = await runCli(['new', 'empty', '--no-install'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'empty', 'package.json'))).toBe(true);
  });

  test.each(['123', 'a b', '', 'My_App'])('refuses the project name %p', async (name) => {
    const dir = tempDir('new-bad');
    const result = await runCli(['new', name, '--no-install'], { cwd: dir });
    expectCliError(result, /is not a valid project name: use lower-case letters/);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('--link and --pack together are refused', async () => {
    const dir = tempDir('new-both');
    expectCliError(await runCli(['new', 'both', '--link', '--pack'], { cwd: dir }), /--link and --pack exclude each other/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
