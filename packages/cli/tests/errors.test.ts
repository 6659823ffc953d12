import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectCliError, runCli, tempDir, removeTempDirs } from './support';

afterAll(removeTempDirs);

describe('errors and help', () => {
  test('an unknown command points to --help', async () => {
    expectCliError(await runCli(['frobnicate'], { cwd: tempDir('err') }), /^cello: unknown command 'frobnicate'\. Run `cello --help` to list the commands\.$/);
  });

  test('a near miss gets a suggestion', async () => {
    expectCliError(await runCli(['nwe', 'x'], { cwd: tempDir('err') }), /unknown command 'nwe'\. Did you mean new\?/);
  });

  test('a missing argument or an unknown option names the command to ask for help', async () => {
    const cwd = tempDir('err');
    expectCliError(await runCli(['new'], { cwd }), /missing required argument 'name'\. Run `cello new --help` for usage\./);
    expectCliError(await runCli(['g', 'service'], { cwd }), /missing required argument 'name'\. Run `cello generate --help` for usage\./);
    expectCliError(await runCli(['routes', '--bogus'], { cwd }), /unknown option '--bogus'\. Run `cello routes --help` for usage\./);
  });

  test.each(['new', 'generate', 'g', 'routes', 'client', 'dev', 'start'])('`cello %s --help` explains the command', async (command) => {
    const result = await runCli([command, '--help'], { cwd: tempDir('help') });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: cello (${command}|generate\\|g)`));
  });

  test('dev --help says why it compiles with tsc', async () => {
    const result = await runCli(['dev', '--help'], { cwd: tempDir('help') });
    expect(result.stdout).toMatch(/emitDecoratorMetadata/);
    expect(result.stdout).toMatch(/esbuild and\s+tsx drop it/);
  });

  test('--version prints the package version', async () => {
    const result = await runCli(['--version'], { cwd: tempDir('help') });
    expect(result).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });

  // What tsc emits for a decorated class whose constructor takes a class declared below it.
  const usedBeforeDeclaration = `var __metadata = function (k, v) { return function () {}; };
let Orders = class Orders { constructor(repo) { this.repo = repo; } };
__metadata("design:paramtypes", [Repo]);
let Repo = class Repo {};
exports.createApp = () => undefined;
`;

  test.each([['start'], ['routes']])('`cello %s` names a class used before its declaration in the app, not a bug in cello', async (command) => {
    const cwd = tempDir('err-load');
    writeFileSync(join(cwd, 'main.js'), usedBeforeDeclaration);
    const result = await runCli([command, '--entry', 'main.js'], { cwd });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cello: main\.js failed to load: .*Cannot access 'Repo' before initialization/);
    expect(result.stderr).toContain('Repo is used before its declaration');
    expect(result.stderr).toContain('CELLO_ERR_CLASS_USED_BEFORE_DECLARATION');
    expect(result.stderr).not.toContain('a bug in cello');
  });
});
