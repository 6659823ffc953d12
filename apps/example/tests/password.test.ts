import { hashPassword, verifyPassword } from '../src/auth/password';

describe('password hashing (scrypt)', () => {
  test('a hash verifies its password and no other', async () => {
    const hash = await hashPassword('wonderland');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    await expect(verifyPassword('wonderland', hash)).resolves.toBe(true);
    await expect(verifyPassword('Wonderland', hash)).resolves.toBe(false);
  });

  test('the same password hashes differently each time (random salt)', async () => {
    expect(await hashPassword('builder')).not.toBe(await hashPassword('builder'));
  });

  test('a malformed or foreign hash never matches', async () => {
    for (const stored of ['', 'wonderland', 'bcrypt$2b$10$abc', 'scrypt$16384$8$1$c2FsdA', 'scrypt$x$8$1$c2FsdA$aGFzaA']) {
      await expect(verifyPassword('wonderland', stored)).resolves.toBe(false);
    }
  });
});
