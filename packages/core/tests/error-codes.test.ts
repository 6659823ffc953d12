import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorCodes } from '@cello/core';

const doc = readFileSync(join(__dirname, '../../../docs/errors.md'), 'utf8');

describe('error codes', () => {
  test.each(Object.keys(errorCodes))('%s is documented in docs/errors.md', (code) => {
    expect(doc).toContain(`### ${code}\n`);
  });

  test('every code follows CELLO_ERR_<AREA>_<PROBLEM>', () => {
    for (const code of Object.keys(errorCodes)) expect(code).toMatch(/^CELLO_ERR_[A-Z]+_[A-Z_]+$/);
  });
});
