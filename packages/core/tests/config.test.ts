import { App, Config, type CelloError } from '@cello/core';

function errorOf(fn: () => unknown): CelloError {
  try {
    fn();
  } catch (err) {
    return err as CelloError;
  }
  throw new Error('expected an error');
}

describe('Config.fromEnv()', () => {
  test('reads the built-in variables into a typed, frozen object, with defaults for what is unset or empty', () => {
    const config = Config.fromEnv({ env: { PORT: '8080', HOST: '0.0.0.0', LOG_LEVEL: 'debug', REDIS_URL: 'redis://cache:6379', DATABASE_URL: 'postgres://u:p@db/shop', NODE_ENV: 'production', CELLO_WORKERS: '4', SHUTDOWN_TIMEOUT: '2.5', TRUST_PROXY: 'loopback, 10.0.0.0/8' } });
    expect(config).toEqual({
      port: 8080, host: '0.0.0.0', logLevel: 'debug', redisUrl: 'redis://cache:6379', databaseUrl: 'postgres://u:p@db/shop',
      nodeEnv: 'production', workers: 4, shutdownTimeout: 2.5, trustProxy: ['loopback', '10.0.0.0/8'], extra: {},
    });
    expect(Object.isFrozen(config)).toBe(true);
    const port: number = config.port;
    const redis: string | undefined = config.redisUrl;
    expect([port, redis]).toEqual([8080, 'redis://cache:6379']);

    expect(Config.fromEnv({ env: { PORT: '', CELLO_WORKERS: 'auto', TRUST_PROXY: 'true' } })).toEqual({
      port: 3000, host: 'localhost', logLevel: 'info', redisUrl: undefined, databaseUrl: undefined,
      nodeEnv: 'development', workers: 'auto', shutdownTimeout: 10, trustProxy: true, extra: {},
    });
  });

  test('a bad value stops startup with a CelloError naming the variable, the value and the expected form', () => {
    const err = errorOf(() => Config.fromEnv({ env: { PORT: 'abc' } }));
    expect(err.code).toBe('CELLO_ERR_CONFIG_INVALID');
    expect(err.message).toContain('PORT must be an integer 0-65535, got "abc"');
  });

  test('every bad variable is reported at once', () => {
    const err = errorOf(() => Config.fromEnv({ env: { PORT: '70000', LOG_LEVEL: 'loud', REDIS_URL: 'localhost:6379', CELLO_WORKERS: '0', TRUST_PROXY: '1', SHUTDOWN_TIMEOUT: '-1' } }));
    expect(err.message.split('\n')).toEqual([
      'The environment has 6 invalid variable(s):',
      '  PORT must be an integer 0-65535, got "70000"',
      '  LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      '  REDIS_URL must be a URL starting with redis:// or rediss://, got "localhost:6379"',
      '  CELLO_WORKERS must be a positive integer or auto, got "0"',
      '  SHUTDOWN_TIMEOUT must be a number >= 0, got "-1"',
      '  TRUST_PROXY must be true, false, or a comma-separated list of proxy addresses (loopback, uniquelocal, IPs, CIDRs; not a hop count), got "1"',
      'Set them as shown (an unset or empty variable takes its default) and start again.',
    ]);
  });

  test('a password in a bad URL is not repeated in the error', () => {
    const err = errorOf(() => Config.fromEnv({ env: { REDIS_URL: 'http://admin:s3cret@cache:6379' } }));
    expect(err.message).toContain('REDIS_URL must be a URL starting with redis:// or rediss://, got "http://***@cache:6379"');
    expect(err.message).not.toContain('s3cret');
  });

  test("the app's own variables, typed by their declarations", () => {
    const config = Config.fromEnv({
      env: { API_KEY: 'k-123', MAX_ITEMS: '50', FEATURE_X: 'yes', RATIO: '0.5', MODE: 'fast' },
      extra: {
        API_KEY: Config.string({ secret: true }),
        MAX_ITEMS: Config.int({ min: 1 }),
        PAGE_SIZE: Config.int({ min: 1, max: 100, default: 20 }),
        FEATURE_X: Config.boolean({ default: false }),
        RATIO: Config.number({ min: 0, max: 1 }),
        MODE: Config.oneOf(['fast', 'safe']),
        WEBHOOK_URL: Config.url({ optional: true }),
        TIMEOUT: Config.custom('a duration like 5s', { default: 1000 }, (t) => (/^\d+s$/.test(t) ? Number(t.slice(0, -1)) * 1000 : undefined)),
      },
    });
    const apiKey: string = config.extra.API_KEY;
    const maxItems: number = config.extra.MAX_ITEMS;
    const mode: 'fast' | 'safe' = config.extra.MODE;
    const webhook: string | undefined = config.extra.WEBHOOK_URL;
    expect({ apiKey, maxItems, mode, webhook }).toEqual({ apiKey: 'k-123', maxItems: 50, mode: 'fast', webhook: undefined });
    expect(config.extra).toEqual({ API_KEY: 'k-123', MAX_ITEMS: 50, PAGE_SIZE: 20, FEATURE_X: true, RATIO: 0.5, MODE: 'fast', WEBHOOK_URL: undefined, TIMEOUT: 1000 });
    expect(Object.isFrozen(config.extra)).toBe(true);
  });

  test("the app's own variables are checked with the built-ins: missing, out of range, secret values hidden", () => {
    const err = errorOf(() => Config.fromEnv({
      env: { PORT: 'x', API_KEY: '', MAX_ITEMS: '0', SECRET_NUMBER: 'hunter2' },
      extra: { API_KEY: Config.string(), MAX_ITEMS: Config.int({ min: 1 }), SECRET_NUMBER: Config.int({ secret: true }) },
    }));
    expect(err.message).toContain('PORT must be an integer 0-65535, got "x"');
    expect(err.message).toContain('API_KEY must be set: a non-empty string');
    expect(err.message).toContain('MAX_ITEMS must be an integer >= 1, got "0"');
    expect(err.message).toContain('SECRET_NUMBER must be an integer, got a value of 7 characters (hidden)');
    expect(err.message).not.toContain('hunter2');
  });

  test('reads process.env by default', () => {
    const saved = process.env.PORT;
    process.env.PORT = '4321';
    try {
      expect(Config.fromEnv().port).toBe(4321);
    } finally {
      if (saved === undefined) delete process.env.PORT; else process.env.PORT = saved;
    }
  });

  test('spreads into new App(): listen() uses its port and host when given none', async () => {
    const config = Config.fromEnv({ env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATABASE_URL: 'postgres://db/shop' } });
    const app = new App({ ...config, handleSignals: false });
    app.get('/hello', () => ({ message: 'Hello, World!' }));
    const url = await app.listen();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${url}/hello`)).json()).toEqual({ message: 'Hello, World!' });
    expect(app.config.databaseUrl).toBe('postgres://db/shop');
    expect(app.log.level).toBe('silent');
    await app.close();
  });
});
