import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload, type KeyLike } from 'jose';
import { App, Controller, Get, Public, Request, type JwtOptions } from '@cello/core';

const secret = 'a-test-secret-that-is-long-enough-for-hs256!';
const secretBytes = new TextEncoder().encode(secret);
const issuer = 'https://auth.example.com';
const audience = 'cello-api';

const now = () => Math.floor(Date.now() / 1000);

function hs256(claims: JWTPayload = {}, key: Uint8Array = secretBytes): Promise<string> {
  return new SignJWT({ sub: 'user-1', roles: ['editor'], ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? now() + 3600)
    .sign(key);
}

function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}

/** An app with `/me` answering the user the JWT middleware set, and a @Public `/open`. */
function jwtApp(options: JwtOptions): App {
  @Controller('/')
  class MeController {
    @Get('/me')
    me(req: Request) {
      return { user: req.user ?? null };
    }

    @Public()
    @Get('/open')
    open(req: Request) {
      return { user: req.user ?? null };
    }
  }
  const app = new App({ controllers: [MeController], logger: false });
  app.enableJwt(options);
  return app;
}

describe('enableJwt() with an HS256 secret', () => {
  let app: App;

  beforeEach(() => {
    app = jwtApp({ secret, algorithms: ['HS256'], issuer, audience });
  });

  afterEach(async () => {
    await app.close();
  });

  const claims = { iss: issuer, aud: audience };

  test('a valid token sets req.user to its payload', async () => {
    const token = await hs256(claims);

    const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ sub: 'user-1', roles: ['editor'], iss: issuer, aud: audience });
  });

  test('the scheme is case-insensitive and the same token works again (cached verification)', async () => {
    const token = await hs256(claims);

    const first = await app.inject({ method: 'GET', url: '/me', headers: { authorization: `bearer ${token}` } });
    const second = await app.inject({ method: 'GET', url: '/me', headers: { authorization: `BEARER ${token}` } });

    expect(first.json().user.sub).toBe('user-1');
    expect(second.json().user.sub).toBe('user-1');
  });

  test('req.user is read-only: a handler cannot change the claims later requests with the token see', async () => {
    const token = await hs256(claims);
    let pushed: unknown;
    app.get('/escalate', (req: Request) => {
      try {
        req.user.roles.push('admin');
      } catch (err) {
        pushed = err;
      }
      return { roles: req.user.roles };
    });

    const first = await app.inject({ method: 'GET', url: '/escalate', headers: bearer(token) });
    const second = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

    expect(pushed).toBeInstanceOf(TypeError);
    expect(first.json()).toEqual({ roles: ['editor'] });
    expect(second.json().user.roles).toEqual(['editor']);
  });

  test('an expired token is 401 "Token expired" with WWW-Authenticate: Bearer error="invalid_token"', async () => {
    const token = await hs256({ ...claims, exp: now() - 60 });

    const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Token expired' });
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  test('a token without exp is 401 with WWW-Authenticate: Bearer error="invalid_token" (it would never expire)', async () => {
    const token = await new SignJWT({ sub: 'user-1', iss: issuer, aud: audience }).setProtectedHeader({ alg: 'HS256' }).sign(secretBytes);

    const first = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });
    const again = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

    expect(first.statusCode).toBe(401);
    expect(first.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid token' });
    expect(first.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(again.statusCode).toBe(401);
  });

  test('a token whose exp is not a finite number (1e400 parses to Infinity) is 401', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(`{"sub":"user-1","iss":"${issuer}","aud":"${audience}","exp":1e400}`).toString('base64url');
    const signature = createHmac('sha256', secretBytes).update(`${header}.${payload}`).digest('base64url');

    const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(`${header}.${payload}.${signature}`) });

    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('Invalid token');
  });

  test('a token used before its nbf is 401', async () => {
    const token = await hs256({ ...claims, nbf: now() + 120 });

    const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('Invalid token');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  test.each([
    ['a wrong issuer', { iss: 'https://evil.example.net', aud: audience }],
    ['no issuer', { aud: audience }],
    ['a wrong audience', { iss: issuer, aud: 'other-api' }],
    ['no audience', { iss: issuer }],
  ])('%s is 401', async (_label, tokenClaims) => {
    const token = await hs256(tokenClaims);

    const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('Invalid token');
  });

  test('a token signed with another secret is 401', async () => {
    const token = await hs256(claims, new TextEncoder().encode('another-secret-that-is-also-long-enough!!'));

    expect((await app.inject({ method: 'GET', url: '/me', headers: bearer(token) })).statusCode).toBe(401);
  });

  test('an `alg: none` token is 401, however `none` is spelled', async () => {
    const unsigned = new UnsecuredJWT({ sub: 'admin', roles: ['admin'], iss: issuer, aud: audience }).setExpirationTime('1h').encode();
    const [, payload] = unsigned.split('.');
    const spelled = (alg: string) => `${Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url')}.${payload}.`;

    for (const token of [unsigned, spelled('None'), spelled('NONE'), `${spelled('none')}c2ln`]) {
      const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

      expect(res.statusCode).toBe(401);
    }
  });

  test('a tampered payload is 401', async () => {
    const token = await hs256(claims);
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', roles: ['admin'], iss: issuer, aud: audience, exp: now() + 3600 })).toString('base64url');

    expect((await app.inject({ method: 'GET', url: '/me', headers: bearer(`${header}.${forged}.${signature}`) })).statusCode).toBe(401);
  });

  test.each([['garbage'], ['a.b.c'], ['eyJ.eyJ.sig'], ['x'.repeat(5000)]])('a malformed token (%#) is 401', async (token) => {
    const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('Invalid token');
  });

  test('"Bearer" with no token is 401, not an anonymous request', async () => {
    // Over a socket `Bearer ` arrives trimmed, as `Bearer`.
    for (const authorization of ['Bearer ', 'Bearer', 'bearer']) {
      const res = await app.inject({ method: 'GET', url: '/me', headers: { authorization } });

      expect(res.statusCode).toBe(401);
    }
  });

  test('the 401 body never contains the JWT library\'s error text', async () => {
    const tokens = [
      await hs256({ iss: 'https://evil.example.net', aud: audience }),
      await hs256({ iss: issuer, aud: 'other-api' }),
      await hs256({ ...claims, nbf: now() + 120 }),
      'not.a.jwt',
      await hs256(claims, new TextEncoder().encode('another-secret-that-is-also-long-enough!!')),
    ];
    for (const token of tokens) {
      const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid token' });
      expect(res.body).not.toMatch(/claim|signature|iss|aud|nbf|JWS|JWT|Compact|evil|other-api/i);
    }
  });

  test('no token: the handler runs with req.user undefined (guards decide)', async () => {
    const res = await app.inject({ method: 'GET', url: '/me' });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: null });
  });

  test('another Authorization scheme (Basic) is not ours: no user, no 401', async () => {
    const res = await app.inject({ method: 'GET', url: '/me', headers: { authorization: 'Basic dXNlcjpwYXNz' } });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: null });
  });

  test('@Public() skips verification, even with a garbage token', async () => {
    const res = await app.inject({ method: 'GET', url: '/open', headers: bearer('garbage') });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: null });
  });

  test('a token in the query string is ignored unless queryParameter is set', async () => {
    const token = await hs256(claims);

    const res = await app.inject({ method: 'GET', url: `/me?access_token=${token}` });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: null });
  });

  test('unknown routes are 404 whatever the token', async () => {
    const res = await app.inject({ method: 'GET', url: '/nowhere', headers: bearer('garbage') });

    expect(res.statusCode).toBe(404);
  });
});

describe('enableJwt() options', () => {
  test('queryParameter reads (and verifies) the token from the query string', async () => {
    const app = jwtApp({ secret, algorithms: ['HS256'], queryParameter: 'access_token' });
    const token = await hs256();

    const ok = await app.inject({ method: 'GET', url: `/me?access_token=${token}` });
    const bad = await app.inject({ method: 'GET', url: '/me?access_token=garbage' });

    expect(ok.json().user.sub).toBe('user-1');
    expect(bad.statusCode).toBe(401);
    await app.close();
  });

  test('clockTolerance accepts a slightly expired or early token, not a long-expired one', async () => {
    const app = jwtApp({ secret, algorithms: ['HS256'], clockTolerance: 30 });

    const slightlyExpired = await app.inject({ method: 'GET', url: '/me', headers: bearer(await hs256({ exp: now() - 10 })) });
    const slightlyEarly = await app.inject({ method: 'GET', url: '/me', headers: bearer(await hs256({ nbf: now() + 10 })) });
    const longExpired = await app.inject({ method: 'GET', url: '/me', headers: bearer(await hs256({ exp: now() - 120 })) });

    expect(slightlyExpired.statusCode).toBe(200);
    expect(slightlyEarly.statusCode).toBe(200);
    expect(longExpired.statusCode).toBe(401);
    expect(longExpired.json().message).toBe('Token expired');
    await app.close();
  });

  test('a cached token stops working once it expires', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const app = jwtApp({ secret, algorithms: ['HS256'] });
      const token = await hs256({ exp: now() + 60 });

      expect((await app.inject({ method: 'GET', url: '/me', headers: bearer(token) })).statusCode).toBe(200);
      jest.setSystemTime(Date.now() + 61_000);
      const later = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

      expect(later.statusCode).toBe(401);
      expect(later.json().message).toBe('Token expired');
      await app.close();
    } finally {
      jest.useRealTimers();
    }
  });

  test('requireExp: false accepts a token without exp, and re-verifies it within a minute', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const app = jwtApp({ secret, algorithms: ['HS256'], requireExp: false });
      const token = await new SignJWT({ sub: 'service' }).setProtectedHeader({ alg: 'HS256' }).setNotBefore(now()).sign(secretBytes);

      const first = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });
      jest.setSystemTime(Date.now() + 61_000);
      const later = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

      expect(first.statusCode).toBe(200);
      expect(first.json().user.sub).toBe('service');
      expect(later.statusCode).toBe(200);
      await app.close();
    } finally {
      jest.useRealTimers();
    }
  });

  test('cacheSize: 0 verifies every time and still works', async () => {
    const app = jwtApp({ secret, algorithms: ['HS256'], cacheSize: 0 });
    const token = await hs256();

    expect((await app.inject({ method: 'GET', url: '/me', headers: bearer(token) })).json().user.sub).toBe('user-1');
    expect((await app.inject({ method: 'GET', url: '/me', headers: bearer(token) })).json().user.sub).toBe('user-1');
    await app.close();
  });

  test('issuer and audience may be lists', async () => {
    const app = jwtApp({ secret, algorithms: ['HS256'], issuer: [issuer, 'https://other-idp'], audience: ['a', 'b'] });

    const ok = await app.inject({ method: 'GET', url: '/me', headers: bearer(await hs256({ iss: 'https://other-idp', aud: 'b' })) });
    const no = await app.inject({ method: 'GET', url: '/me', headers: bearer(await hs256({ iss: 'https://third', aud: 'b' })) });

    expect(ok.statusCode).toBe(200);
    expect(no.statusCode).toBe(401);
    await app.close();
  });

  test('an HS384 token is refused when only HS256 is configured', async () => {
    const app = jwtApp({ secret: 'x'.repeat(64), algorithms: ['HS256'] });
    const token = await new SignJWT({ sub: 'u' }).setProtectedHeader({ alg: 'HS384' }).setExpirationTime('1h').sign(new TextEncoder().encode('x'.repeat(64)));

    expect((await app.inject({ method: 'GET', url: '/me', headers: bearer(token) })).statusCode).toBe(401);
    await app.close();
  });
});

describe('enableJwt() with public keys', () => {
  let rsa: { publicKey: KeyLike; privateKey: KeyLike };
  let rsaPem: string;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    rsaPem = await exportSPKI(rsa.publicKey);
  });

  test('RS256 with a PEM publicKey verifies tokens signed with the private key', async () => {
    const app = jwtApp({ publicKey: rsaPem, algorithms: ['RS256'] });
    const token = await new SignJWT({ sub: 'rsa-user' }).setProtectedHeader({ alg: 'RS256' }).setExpirationTime('1h').sign(rsa.privateKey);

    const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

    expect(res.statusCode).toBe(200);
    expect(res.json().user.sub).toBe('rsa-user');
    await app.close();
  });

  test('algorithm confusion: an HS256 token signed with the RSA public key PEM as its secret is 401', async () => {
    const app = jwtApp({ publicKey: rsaPem, algorithms: ['RS256'] });
    const forged = await new SignJWT({ sub: 'admin', roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(rsaPem));

    const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(forged) });

    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('Invalid token');
    await app.close();
  });

  test('the publicKey may be a KeyObject', async () => {
    const app = jwtApp({ publicKey: rsa.publicKey as never, algorithms: ['RS256', 'PS256'] });
    const token = await new SignJWT({ sub: 'ps' }).setProtectedHeader({ alg: 'PS256' }).setExpirationTime('1h').sign(rsa.privateKey);

    expect((await app.inject({ method: 'GET', url: '/me', headers: bearer(token) })).json().user.sub).toBe('ps');
    await app.close();
  });

  test('ES256 with a local JWKS picks the key by kid', async () => {
    const one = await generateKeyPair('ES256');
    const two = await generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await exportJWK(one.publicKey)), kid: 'one', alg: 'ES256' }, { ...(await exportJWK(two.publicKey)), kid: 'two', alg: 'ES256' }] };
    const app = jwtApp({ jwks, algorithms: ['ES256'] });
    const sign = (key: KeyLike, kid: string) => new SignJWT({ sub: `by-${kid}` }).setProtectedHeader({ alg: 'ES256', kid }).setExpirationTime('1h').sign(key);

    const byTwo = await app.inject({ method: 'GET', url: '/me', headers: bearer(await sign(two.privateKey, 'two')) });
    const byOne = await app.inject({ method: 'GET', url: '/me', headers: bearer(await sign(one.privateKey, 'one')) });
    const wrongKid = await app.inject({ method: 'GET', url: '/me', headers: bearer(await sign(one.privateKey, 'two')) });
    const unknownKid = await app.inject({ method: 'GET', url: '/me', headers: bearer(await sign(one.privateKey, 'three')) });

    expect(byTwo.json().user.sub).toBe('by-two');
    expect(byOne.json().user.sub).toBe('by-one');
    expect(wrongKid.statusCode).toBe(401);
    expect(unknownKid.statusCode).toBe(401);
    expect(unknownKid.json().message).toBe('Invalid token');
    await app.close();
  });

  describe('a remote JWKS URL', () => {
    let server: Server;
    let url: string;
    let fetches = 0;
    let keys: Awaited<ReturnType<typeof generateKeyPair>>;

    beforeAll(async () => {
      keys = await generateKeyPair('RS256');
      const jwks = { keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
      server = createServer((req, res) => {
        fetches++;
        if (req.url !== '/.well-known/jwks.json') {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    test('fetches the key set and verifies by kid', async () => {
      const app = jwtApp({ jwks: url, algorithms: ['RS256'] });
      const token = await new SignJWT({ sub: 'remote' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime('1h').sign(keys.privateKey);
      const other = await generateKeyPair('RS256');
      const impostor = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime('1h').sign(other.privateKey);

      const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });
      const denied = await app.inject({ method: 'GET', url: '/me', headers: bearer(impostor) });

      expect(res.statusCode).toBe(200);
      expect(res.json().user.sub).toBe('remote');
      expect(denied.statusCode).toBe(401);
      expect(fetches).toBeGreaterThanOrEqual(1);
      await app.close();
    });

    test('an unreachable key set is a 401 for the token, with no network text leaked', async () => {
      const app = jwtApp({ jwks: url.replace('/.well-known/jwks.json', '/missing'), algorithms: ['RS256'] });
      const token = await new SignJWT({ sub: 'remote' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime('1h').sign(keys.privateKey);

      const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

      expect(res.statusCode).toBe(401);
      expect(res.json().message).toBe('Invalid token');
      await app.close();
    });
  });
});

describe('weak configurations are startup errors naming the option (CELLO_ERR_JWT_CONFIG)', () => {
  let rsaPem: string;
  let ecPem: string;

  beforeAll(async () => {
    rsaPem = await exportSPKI((await generateKeyPair('RS256')).publicKey);
    ecPem = await exportSPKI((await generateKeyPair('ES256')).publicKey);
  });

  function configError(options: unknown): Error & { code?: string } {
    const app = new App({ logger: false });
    try {
      app.enableJwt(options as JwtOptions);
    } catch (err) {
      return err as Error;
    }
    throw new Error('enableJwt() accepted the configuration');
  }

  test.each([
    ['no algorithms', () => ({ secret }), 'algorithms'],
    ['empty algorithms', () => ({ secret, algorithms: [] }), 'algorithms'],
    ["'none'", () => ({ secret, algorithms: ['none'] }), 'algorithms'],
    ["'None' next to HS256", () => ({ secret, algorithms: ['HS256', 'None'] }), 'algorithms'],
    ['an unknown algorithm', () => ({ secret, algorithms: ['HS1'] }), 'algorithms'],
    ['a secret shorter than 32 bytes', () => ({ secret: 'short-secret', algorithms: ['HS256'] }), 'secret'],
    ['an empty secret', () => ({ secret: '', algorithms: ['HS256'] }), 'secret'],
    ['a 32-byte secret for HS512', () => ({ secret: 'x'.repeat(32), algorithms: ['HS512'] }), 'secret'],
    ['mixed HS and RS', () => ({ secret, algorithms: ['HS256', 'RS256'] }), 'algorithms'],
    ['clockTolerance Infinity', () => ({ secret, algorithms: ['HS256'], clockTolerance: Infinity }), 'clockTolerance'],
    ['a negative clockTolerance', () => ({ secret, algorithms: ['HS256'], clockTolerance: -1 }), 'clockTolerance'],
    ["requireExp 'no' (not a boolean)", () => ({ secret, algorithms: ['HS256'], requireExp: 'no' }), 'requireExp'],
    ['both secret and publicKey', () => ({ secret, publicKey: rsaPem, algorithms: ['HS256'] }), 'secret'],
    ['no key at all', () => ({ algorithms: ['HS256'] }), 'secret'],
    ['a secret with RS256', () => ({ secret, algorithms: ['RS256'] }), 'secret'],
    ['HS256 with a publicKey', () => ({ publicKey: rsaPem, algorithms: ['HS256'] }), 'algorithms'],
    ['a publicKey that is not a key', () => ({ publicKey: 'not a pem', algorithms: ['RS256'] }), 'publicKey'],
    ['an RSA publicKey for ES256', () => ({ publicKey: rsaPem, algorithms: ['ES256'] }), 'publicKey'],
    ['an EC publicKey for RS256', () => ({ publicKey: ecPem, algorithms: ['RS256'] }), 'publicKey'],
    ['a jwks that is not a set', () => ({ jwks: { foo: 1 }, algorithms: ['RS256'] }), 'jwks'],
    ['a jwks URL that is not a URL', () => ({ jwks: 'not a url', algorithms: ['RS256'] }), 'jwks'],
    ['a jwks URL that is not http(s)', () => ({ jwks: 'file:///etc/jwks.json', algorithms: ['RS256'] }), 'jwks'],
    ['a cacheSize that is not a count', () => ({ secret, algorithms: ['HS256'], cacheSize: NaN }), 'cacheSize'],
  ])('%s', (_label, options, option) => {
    const err = configError(options());

    expect(err.code).toBe('CELLO_ERR_JWT_CONFIG');
    expect(err.message).toContain(`option ${option} `);
  });

  test('no options at all', () => {
    expect(configError(undefined).code).toBe('CELLO_ERR_JWT_CONFIG');
  });

  test('a 32-byte secret is enough for HS256, and a Uint8Array secret works', () => {
    const app = new App({ logger: false });

    expect(() => app.enableJwt({ secret: 'x'.repeat(32), algorithms: ['HS256'] })).not.toThrow();
    expect(() => new App({ logger: false }).enableJwt({ secret: new Uint8Array(64), algorithms: ['HS256', 'HS512'] })).not.toThrow();
  });
});
