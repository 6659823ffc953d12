import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectCliError, linkNodeModules, run, runCli, tempDir, removeTempDirs } from './support';

afterAll(removeTempDirs);

/** A fresh `cello new` project, given the monorepo's node_modules instead of an install. */
async function newProject(label: string): Promise<string> {
  const dir = tempDir(label);
  const result = await runCli(['new', 'app', '--no-install'], { cwd: dir });
  expect(result.code).toBe(0);
  const project = join(dir, 'app');
  linkNodeModules(project);
  return project;
}

/** Every file under `dir` (except node_modules) with its content, to prove nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string, prefix: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const rel = prefix + entry.name;
      if (entry.isDirectory()) walk(join(current, entry.name), `${rel}/`);
      else out[rel] = readFileSync(join(current, entry.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

const read = (project: string, file: string) => readFileSync(join(project, file), 'utf8');

describe('cello generate', () => {
  test('each kind writes its file and test; the project still builds and its tests pass', async () => {
    const project = await newProject('gen-all');
    const generated = [
      ['controller', 'user-profile', 'src/controllers/user-profile.controller.ts', 'tests/user-profile.controller.test.ts', 'export class UserProfileController'],
      ['service', 'user-profile', 'src/services/user-profile.service.ts', 'tests/user-profile.service.test.ts', 'export class UserProfileService'],
      ['guard', 'user-profile', 'src/guards/user-profile.guard.ts', 'tests/user-profile.guard.test.ts', 'export class UserProfileGuard'],
      ['dto', 'create-user', 'src/dtos/create-user.dto.ts', 'tests/create-user.dto.test.ts', 'export class CreateUserDto'],
      ['middleware', 'timing', 'src/middleware/timing.middleware.ts', 'tests/timing.middleware.test.ts', 'export async function timingMiddleware'],
    ];
    for (const [kind, name, file, test, declaration] of generated) {
      const result = await runCli(['generate', kind!, name!], { cwd: project });
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain(`created ${file}`);
      expect(result.stdout).toContain(`created ${test}`);
      expect(read(project, file!)).toContain(declaration);
      expect(existsSync(join(project, test!))).toBe(true);
    }
    // `g` is short for generate.
    expect((await runCli(['g', 'controller', 'orders'], { cwd: project })).code).toBe(0);

    const app = read(project, 'src/app.ts');
    expect(app).toContain("import { UserProfileController } from './controllers/user-profile.controller.js';");
    expect(app).toContain("import { OrdersController } from './controllers/orders.controller.js';");
    expect(app).toMatch(/controllers: \[ItemsController, UserProfileController, OrdersController\]/);
    const guard = read(project, 'src/guards/user-profile.guard.ts');
    expect(guard).toContain('canActivate(ctx: RequestContext): boolean | Promise<boolean>');
    expect(guard).toContain('implements Guard');

    for (const script of ['build', 'test', 'typecheck']) {
      const result = await run('npm', ['run', script], { cwd: project });
      if (result.code !== 0) throw new Error(`npm run ${script} failed:\n${result.stdout}\n${result.stderr}`);
    }
    const routes = await runCli(['routes', '--json'], { cwd: project });
    const paths = JSON.parse(routes.stdout).map((r: { path: string }) => r.path);
    expect(paths).toEqual(expect.arrayContaining(['/user-profile', '/user-profile/{id}', '/orders']));
  }, 120_000);

  test.each(['user-profile', 'UserProfile', 'user_profile', 'userProfile', 'user-profile-controller'])(
    '%p becomes UserProfileController in user-profile.controller.ts',
    async (name) => {
      const dir = tempDir('gen-name');
      writeFileSync(join(dir, 'package.json'), '{}');
      const result = await runCli(['g', 'controller', name], { cwd: dir });
      expect(result.code).toBe(0);
      expect(readdirSync(join(dir, 'src', 'controllers'))).toEqual(['user-profile.controller.ts']);
      expect(read(dir, 'src/controllers/user-profile.controller.ts')).toContain('export class UserProfileController');
      // No app module to edit: the user is told what to add rather than left guessing.
      expect(result.stdout).toContain('register it yourself: new App({ controllers: [..., UserProfileController] })');
    },
  );

  test('--dry-run prints the files and the app.ts change, and writes nothing', async () => {
    const dir = tempDir('gen-dry');
    await runCli(['new', 'app', '--no-install'], { cwd: dir });
    const project = join(dir, 'app');
    const before = snapshot(project);
    const result = await runCli(['g', 'controller', 'invoices', '--dry-run'], { cwd: project });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('would create src/controllers/invoices.controller.ts:');
    expect(result.stdout).toContain('would create tests/invoices.controller.test.ts:');
    expect(result.stdout).toContain("@Controller('/invoices')");
    expect(result.stdout).toContain('would update src/app.ts:');
    expect(result.stdout).toContain('controllers: [ItemsController, InvoicesController]');
    expect(snapshot(project)).toEqual(before);
  });

  test('never overwrites: a second run fails and leaves the first files as they are', async () => {
    const dir = tempDir('gen-twice');
    writeFileSync(join(dir, 'package.json'), '{}');
    expect((await runCli(['g', 'service', 'mailer'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'src/services/mailer.service.ts'), '// edited by hand\n');
    const before = snapshot(dir);
    const again = await runCli(['g', 'service', 'Mailer'], { cwd: dir });
    expectCliError(again, /src\/services\/mailer\.service\.ts, tests\/mailer\.service\.test\.ts already exist; cello never overwrites files/);
    expect(snapshot(dir)).toEqual(before);
  });

  test.each(['123', 'a b', '', 'user-'])('refuses the name %p', async (name) => {
    const dir = tempDir('gen-bad');
    writeFileSync(join(dir, 'package.json'), '{}');
    expectCliError(await runCli(['g', 'service', name], { cwd: dir }), /is not a valid name: use letters and digits/);
    expect(readdirSync(dir)).toEqual(['package.json']);
  });

  test('an unknown kind names the kinds there are', async () => {
    const dir = tempDir('gen-kind');
    expectCliError(await runCli(['g', 'widget', 'x'], { cwd: dir }), /Allowed choices are controller, service, guard, dto, middleware/);
  });
});
