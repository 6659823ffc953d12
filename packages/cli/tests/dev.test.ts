import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Background, expectCliError, freePort, get, linkNodeModules, runCli, startCli, tempDir, removeTempDirs, waitFor } from './support';

let dev: Background | undefined;

afterAll(() => {
  dev?.killGroup();
  removeTempDirs();
});

describe('cello dev', () => {
  test('serves the app, restarts it after a change, keeps the last good build through a compile error, stops on SIGTERM', async () => {
    const dir = tempDir('dev');
    expect((await runCli(['new', 'app', '--no-install'], { cwd: dir })).code).toBe(0);
    const project = join(dir, 'app');
    linkNodeModules(project);
    const appFile = join(project, 'src', 'app.ts');
    const edit = (from: string, to: string): void => writeFileSync(appFile, readFileSync(appFile, 'utf8').replace(from, to));
    const health = async (): Promise<string | undefined> => (await get(port, '/health'))?.body;

    const port = await freePort();
    dev = startCli(['dev'], { cwd: project, env: { PORT: String(port) } });
    const seen = { output: () => dev!.output, deadlineMs: 40_000 };
    await waitFor(async () => (await health()) === '{"status":"ok"}', { what: 'the first build to serve', ...seen });

    edit("status: 'ok'", "status: 'changed'");
    await waitFor(async () => (await health()) === '{"status":"changed"}', { what: 'the restart after an edit', ...seen });

    edit("status: 'changed'", 'status: notDefined');
    await waitFor(() => dev!.output.includes('compile errors (above); still serving the last good build'), { what: 'the compile error', ...seen });
    expect(dev.output).toContain("Cannot find name 'notDefined'");
    expect(await health()).toBe('{"status":"changed"}');

    edit('status: notDefined', "status: 'fixed'");
    await waitFor(async () => (await health()) === '{"status":"fixed"}', { what: 'the restart after the fix', ...seen });

    dev.child.kill('SIGTERM');
    expect(await dev.exited).toBe(0);
    expect(await get(port, '/health')).toBeNull();
  }, 120_000);

  test('outside a project it says where to run it', async () => {
    expectCliError(await runCli(['dev'], { cwd: tempDir('dev-none') }), /no tsconfig\.json in this folder: run cello dev in the project folder/);
  });
});
