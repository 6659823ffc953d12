import { lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Background, freePort, get, linkNodeModules, removeTempDirs, repoRoot, run, runCli, tempDir, waitFor } from './support';
import { spawn } from 'node:child_process';

afterAll(removeTempDirs);

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** The ```sh blocks of a Markdown text, each as its lines. */
function shellBlocks(markdown: string): string[][] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!.trimEnd().split('\n'));
}

/**
 * The generated README's "Try it" steps, read from the README itself: the commands that build
 * and start the app, and each `curl` line with the output written under it (`# ...`).
 */
function tryItSteps(readme: string): { build: string; start: string; calls: Array<{ curl: string; expected: string }> } {
  const blocks = shellBlocks(readme.slice(readme.indexOf('## Try it')));
  const [setup, calls] = [blocks[0]!, blocks[1]!];
  const start = setup.find((line) => /\bnpm start\b/.test(line));
  const build = setup.find((line) => /\bnpm run build\b/.test(line));
  if (start === undefined || build === undefined) throw new Error(`No build and start commands in the README's "Try it":\n${setup.join('\n')}`);
  const steps: Array<{ curl: string; expected: string }> = [];
  calls.forEach((line, i) => {
    if (!line.startsWith('curl ')) return;
    const next = calls[i + 1];
    if (next === undefined || !next.startsWith('# ')) throw new Error(`README curl step without its expected output: ${line}`);
    steps.push({ curl: line, expected: next.slice(2) });
  });
  return { build, start, calls: steps };
}

/** Runs a README command line through the shell, as a user pastes it, with the app on `port` instead of 3000. */
function shell(line: string, cwd: string, port: number) {
  return run('sh', ['-c', line.replaceAll(':3000', `:${port}`)], { cwd });
}

/** Follows a generated project's README from `npm run build` to its last curl step, against the running app. */
async function followTryIt(project: string): Promise<void> {
  const steps = tryItSteps(readFileSync(join(project, 'README.md'), 'utf8'));
  expect(steps.calls.length).toBeGreaterThan(0);
  const built = await shell(steps.build, project, 0);
  if (built.code !== 0) throw new Error(`${steps.build} failed:\n${built.stdout}\n${built.stderr}`);

  const port = await freePort();
  // The start line as written (`API_KEY=... npm start`), in its own process group so the whole
  // tree can be stopped the way a terminal's Ctrl-C would.
  const server = new Background(spawn('sh', ['-c', steps.start], {
    cwd: project, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  }));
  try {
    await waitFor(() => get(port, '/health').then((r) => r ?? undefined), { what: 'the app to serve', output: () => server.output, deadlineMs: 30_000 });
    for (const step of steps.calls) {
      const result = await shell(step.curl, project, port);
      expect({ curl: step.curl, output: result.stdout }).toEqual({ curl: step.curl, output: step.expected });
    }
    process.kill(-server.child.pid!, 'SIGINT');
    await server.exited;
  } finally {
    server.killGroup();
  }
}

describe('the README a new project is made with', () => {
  test('works as written: its curl steps get the answers it shows', async () => {
    const dir = tempDir('readme');
    expect((await runCli(['new', 'shop', '--no-install'], { cwd: dir })).code).toBe(0);
    const project = join(dir, 'shop');
    linkNodeModules(project);
    await followTryIt(project);
  }, 120_000);
});

describe('Cello outside this repository', () => {
  // The way README.md says to use Cello before it is on a registry: `cello new --pack` packs
  // @cello/core and @cello/cli with `npm pack` and installs those tarballs, like a release.
  test('a --pack project outside the checkout installs the tarballs, builds, passes its tests and serves', async () => {
    const dir = tempDir('pack');
    expect(dir.startsWith(repoRoot)).toBe(false);
    const created = await runCli(['new', 'shop', '--pack'], { cwd: dir });
    if (created.code !== 0) throw new Error(`cello new --pack failed:\n${created.stdout}\n${created.stderr}`);
    const project = join(dir, 'shop');
    // Installed copies, not links back into the checkout.
    for (const name of ['core', 'cli']) {
      const installed = join(project, 'node_modules', '@cello', name);
      expect(lstatSync(installed).isSymbolicLink()).toBe(false);
      expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version).toBe(
        JSON.parse(readFileSync(join(repoRoot, 'packages', name, 'package.json'), 'utf8')).version,
      );
    }
    const tests = await run('npm', ['test'], { cwd: project });
    if (tests.code !== 0) throw new Error(`npm test failed:\n${tests.stdout}\n${tests.stderr}`);
    await followTryIt(project);
  }, 300_000);

  // README "An existing project": npm pack of each package, installed into a plain ES module
  // project with its peer dependencies, running the README's first snippet.
  test('npm pack tarballs installed into a project of its own build and run the README\'s first snippet', async () => {
    const project = join(tempDir('packed-by-hand'), 'my-app');
    mkdirSync(join(project, 'src'), { recursive: true });
    mkdirSync(join(project, 'vendor'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-app', private: true, type: 'module' }));
    const packed = await run('npm', ['pack', '-w', '@cello/core', '-w', '@cello/cli', '--pack-destination', join(project, 'vendor')], { cwd: repoRoot });
    if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);

    // The peers at the ranges @cello/core asks for, so the install is served from the npm cache.
    const core = readJson(join(repoRoot, 'packages', 'core', 'package.json'));
    const root = readJson(join(repoRoot, 'package.json'));
    const peers = Object.entries(core.peerDependencies as Record<string, string>).map(([name, range]) => `${name}@${range}`);
    const version = core.version as string;
    const npmInstall = async (args: string[]) => {
      const result = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...args], { cwd: project });
      if (result.code !== 0) throw new Error(`npm install ${args.join(' ')} failed:\n${result.stderr}`);
    };
    await npmInstall([`./vendor/cello-core-${version}.tgz`, ...peers]);
    await npmInstall(['-D', `./vendor/cello-cli-${version}.tgz`, `typescript@${root.devDependencies.typescript}`, `@types/node@${root.devDependencies['@types/node']}`]);
    expect(lstatSync(join(project, 'node_modules', '@cello', 'core')).isSymbolicLink()).toBe(false);

    // The options README's "Setting up a project" names, plus an ES module target for top-level await.
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        experimentalDecorators: true, emitDecoratorMetadata: true, useDefineForClassFields: false,
        target: 'ES2022', module: 'nodenext', strict: true, types: ['node'], rootDir: 'src', outDir: 'dist',
      },
    }));
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const first = /^```ts\n([\s\S]*?)^```$/m.exec(readme)![1]!;
    expect(first).toMatch(/port: 3000/);
    writeFileSync(join(project, 'src', 'main.ts'), first.replace('port: 3000', 'port: Number(process.env.PORT)'));
    const built = await run(join(project, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: project });
    if (built.code !== 0) throw new Error(`tsc failed:\n${built.stdout}\n${built.stderr}`);

    const port = await freePort();
    const server = new Background(spawn(process.execPath, ['dist/main.js'], {
      cwd: project, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    }));
    try {
      const res = await waitFor(() => get(port, '/users/1').then((r) => r ?? undefined), { what: 'the app to serve', output: () => server.output, deadlineMs: 30_000 });
      expect(res).toEqual({ status: 200, body: JSON.stringify({ user: { id: 1, name: 'Ada' } }) });
      expect((await get(port, '/users/2'))?.status).toBe(404);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      server.killGroup();
    }
  }, 300_000);
});
