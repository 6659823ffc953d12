import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectCliError, freePort, get, repoRoot, run, runCli, startCli, tempDir, removeTempDirs, waitFor } from './support';

afterAll(removeTempDirs);

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

// The README's order example, added to a generated project: its own class-transformer and
// class-validator write the metadata, @cello/core reads it.
const orderController = `import { Controller, Post } from '@cello/core';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsInt, IsString, Min, ValidateNested } from 'class-validator';

class OrderLine {
  @IsString() sku!: string;
  @IsInt() @Min(1) qty!: number;
}

class CreateOrder {
  @ValidateNested({ each: true }) @Type(() => OrderLine) @ArrayMinSize(1)
  items!: OrderLine[];
}

@Controller('/orders')
export class OrdersController {
  @Post('/', { status: 201 })
  create(order: CreateOrder) {
    return { lines: order.items.length, instances: order.items.every((line) => line instanceof OrderLine) };
  }
}
`;

// An @Offload route added to a generated project: the worker thread loads the project's build.
const reportsController = `import { Controller, Get, HttpError, Offload, Query } from '@cello/core';
import { isMainThread } from 'node:worker_threads';

@Controller('/reports')
export class ReportsController {
  @Get('/sum')
  @Offload()
  sum(@Query('below') below: number) {
    if (below > 1_000_000) throw HttpError.badRequest('below is at most 1000000');
    let total = 0;
    for (let i = 0; i < below; i++) total += i;
    return { total, isMainThread };
  }
}
`;

const getReports = `const { App } = require('@cello/core');
const { ReportsController } = require('./dist/reports.controller.js');
(async () => {
  const app = new App({ controllers: [ReportsController], logger: false, handleSignals: false });
  const out = [];
  for (const url of ['/reports/sum?below=10', '/reports/sum?below=2000000']) {
    const res = await app.inject(url);
    out.push({ status: res.statusCode, body: res.json() });
  }
  await app.close();
  console.log(JSON.stringify(out));
})().catch((err) => { console.error(err); process.exit(1); });
`;

const postOrders = `const { App } = require('@cello/core');
const { OrdersController } = require('./dist/orders.controller.js');
(async () => {
  const app = new App({ controllers: [OrdersController], logger: false, handleSignals: false });
  const out = [];
  for (const payload of [{ items: [{ sku: 'pen', qty: 0 }] }, { items: [{ sku: 'pen', qty: 2 }] }]) {
    const res = await app.inject({ method: 'POST', url: '/orders', payload });
    out.push({ status: res.statusCode, body: res.json() });
  }
  await app.close();
  console.log(JSON.stringify(out));
})().catch((err) => { console.error(err); process.exit(1); });
`;

describe('cello new', () => {
  // The one slow test: a real install from the npm cache, then the project's own build and tests.
  test('creates a project that installs offline, builds, passes its tests, lists its routes and serves', async () => {
    const dir = tempDir('new');
    const created = await runCli(['new', 'my-app'], { cwd: dir });
    expect(created.stderr).not.toMatch(/ERR!/);
    expect(created.code).toBe(0);
    const project = join(dir, 'my-app');
    expect(existsSync(join(project, 'node_modules', '@cello', 'core'))).toBe(true);
    // One copy of each library the app and the linked @cello/core share.
    for (const name of ['class-transformer', 'class-validator', 'reflect-metadata', 'tsyringe']) {
      expect([name, realpathSync(join(project, 'node_modules', name))]).toEqual([name, realpathSync(join(repoRoot, 'node_modules', name))]);
    }
    writeFileSync(join(project, 'src', 'orders.controller.ts'), orderController);
    writeFileSync(join(project, 'post-orders.cjs'), postOrders);
    writeFileSync(join(project, 'src', 'reports.controller.ts'), reportsController);
    writeFileSync(join(project, 'get-reports.cjs'), getReports);

    for (const script of ['build', 'test', 'typecheck']) {
      const result = await run('npm', ['run', script], { cwd: project });
      if (result.code !== 0) throw new Error(`npm run ${script} failed:\n${result.stdout}\n${result.stderr}`);
    }

    // The README's invalid order is refused, nested lines and all.
    const orders = await run(process.execPath, ['post-orders.cjs'], { cwd: project });
    if (orders.code !== 0) throw new Error(`post-orders failed:\n${orders.stdout}\n${orders.stderr}`);
    expect(JSON.parse(orders.stdout)).toEqual([
      { status: 422, body: { statusCode: 422, error: 'Unprocessable Entity', message: 'Validation failed', details: [{ path: 'items[0].qty', messages: ['qty must not be less than 1'] }] } },
      { status: 201, body: { lines: 1, instances: true } },
    ]);

    // @Offload in the project's build: computed on a worker thread, an HttpError kept as a 400.
    const reports = await run(process.execPath, ['get-reports.cjs'], { cwd: project });
    if (reports.code !== 0) throw new Error(`get-reports failed:\n${reports.stdout}\n${reports.stderr}`);
    expect(JSON.parse(reports.stdout)).toEqual([
      { status: 200, body: { total: 45, isMainThread: false } },
      { status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'below is at most 1000000' } },
    ]);

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

  test('the project uses the toolchain of this repository, and links @cello/core\'s peers to the copies it loads', async () => {
    const dir = tempDir('new-versions');
    await runCli(['new', 'versions', '--no-install'], { cwd: dir });
    const pkg = readJson(join(dir, 'versions', 'package.json'));
    const root = readJson(join(repoRoot, 'package.json'));
    const core = readJson(join(repoRoot, 'packages', 'core', 'package.json'));
    for (const [name, range] of Object.entries(pkg.devDependencies as Record<string, string>)) {
      if (name !== '@cello/cli') expect([name, range]).toEqual([name, root.devDependencies[name]]);
    }
    // A second copy of class-transformer in the project would hide every @Type from Cello.
    for (const name of Object.keys(core.peerDependencies as Record<string, string>)) {
      expect([name, pkg.dependencies[name]]).toEqual([name, `file:${realpathSync(join(repoRoot, 'node_modules', name))}`]);
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
    // Tarballs install like the release: npm puts the peers at these ranges once, at the top.
    const core = readJson(join(repoRoot, 'packages', 'core', 'package.json'));
    for (const [name, range] of Object.entries(core.peerDependencies as Record<string, string>)) {
      expect([name, pkg.dependencies[name]]).toEqual([name, range]);
    }
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
