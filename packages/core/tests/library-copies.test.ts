// A second copy of class-transformer (a project with its own node_modules next to a linked
// @cello/core) hides every @Type from Cello: startup names both copies instead of serving a
// route that validates nothing. Runs the built package in a child process, as an app would.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const fixture = join(__dirname, 'fixtures', 'two-copies.js');
const transformer = dirname(require.resolve('class-transformer/package.json'));
let copyRoot: string;

beforeAll(() => {
  copyRoot = mkdtempSync(join(tmpdir(), 'cello-two-copies-'));
  cpSync(transformer, join(copyRoot, 'node_modules', 'class-transformer'), { recursive: true });
});
afterAll(() => rmSync(copyRoot, { recursive: true, force: true }));

function runFixture(env: Record<string, string>): Promise<Record<string, unknown>> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [fixture], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      if (err) fail(new Error(`${err.message}\n${stderr}`));
      else done(JSON.parse(stdout.trim().split('\n').pop()!));
    });
  });
}

test('with one copy, the README order\'s invalid line is 422', async () => {
  expect(await runFixture({})).toEqual({ status: 422 });
});

test('with the app\'s @Type in a second copy, startup stops naming both copies', async () => {
  const copy = join(copyRoot, 'node_modules', 'class-transformer');
  const result = await runFixture({ TRANSFORMER: copy });

  expect(result.code).toBe('CELLO_ERR_VALIDATION_LIBRARY_COPIES');
  expect(result.message).toContain('Two copies of class-transformer are loaded');
  expect(result.message).toContain(copy);
  expect(result.message).toContain(transformer);
});
