// A class used in emitted decorator metadata before its declaration makes the app's module
// throw at load, before Cello runs; the report then names the class and the fix.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { usedBeforeDeclaration } from '../src/errors/used-before-declaration';

const fixture = join(__dirname, 'fixtures', 'used-before-declaration.js');

test('node reports CELLO_ERR_CLASS_USED_BEFORE_DECLARATION next to the ReferenceError, and still fails', async () => {
  const result = await new Promise<{ code: number | null; stderr: string }>((done) => {
    execFile(process.execPath, [fixture], (err, _stdout, stderr) => done({ code: err ? (err as { code?: number }).code ?? null : 0, stderr }));
  });

  expect(result.code).toBe(1);
  expect(result.stderr).toContain('CelloError [CELLO_ERR_CLASS_USED_BEFORE_DECLARATION]');
  expect(result.stderr).toContain('used-before-declaration.js:25');
  expect(result.stderr).toContain('Move the declaration of Repo above the class that uses it');
  expect(result.stderr).toContain("ReferenceError: Cannot access 'Repo' before initialization");
});

test('any other use before initialization is left alone', () => {
  let caught: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-use-before-define
    later.toString();
  } catch (err) {
    caught = err;
  }
  let later = 1;
  expect(String(caught)).toMatch(/before initialization/);
  expect(usedBeforeDeclaration(caught)).toBeUndefined();
  expect(usedBeforeDeclaration(new Error('boom'))).toBeUndefined();
  expect(later).toBe(1);
});
