import { configFromEnv } from '../src/config';

describe('the example reads its environment with Config.fromEnv()', () => {
  test('defaults: loopback, port 3000, PGlite, the dev secrets', () => {
    const config = configFromEnv({});
    expect(config.server).toMatchObject({ port: 3000, host: '127.0.0.1', logLevel: 'info' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
  });

  test('a bad variable stops startup, naming it; secrets are not repeated', () => {
    expect(() => configFromEnv({ PORT: 'eighty', JWT_SECRET: 'short', CORS_ORIGINS: ' , ' })).toThrow(
      expect.objectContaining({
        code: 'CELLO_ERR_CONFIG_INVALID',
        message: expect.stringMatching(/PORT must be an integer 0-65535, got "eighty"[\s\S]*JWT_SECRET must be a string of at least 32 characters, got a value of 5 characters \(hidden\)[\s\S]*CORS_ORIGINS must be a comma-separated list of origins, got " , "/),
      }),
    );
  });
});
