import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { exportJWK, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { App, Authenticated, Controller, Get, Guards, Request, type JwtOptions } from '@cello/core';
import { rawHttp, stillServes } from './raw-http';

const issuer = 'https://auth.example.com';
const audience = 'cello-api';
const secret = new TextEncoder().encode('a-test-secret-that-is-long-enough-for-hs256!');
const now = () => Math.floor(Date.now() / 1000);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;

let handlerCalls = 0;

@Controller('/')
@Guards(Authenticated)
class AccountController {
  @Get('/me')
  me(req: Request) {
    handlerCalls++;
    return { sub: (req.user as JWTPayload).sub };
  }
}

function appWith(options: JwtOptions): App {
  const app = new App({ controllers: [AccountController], logger: false });
  app.get('/ping', () => ({ ok: true }), { public: true });
  app.enableJwt(options);
  return app;
}

const valid = { sub: 'alice', iss: issuer, aud: audience };

function hs256(claims: JWTPayload = valid, key: Uint8Array = secret, exp: number = now() + 600): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime(exp).sign(key);
}

function rs256(claims: JWTPayload = valid): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).setIssuedAt().setExpirationTime(now() + 600).sign(privateKey);
}

/** A token signed by hand, so any header (alg, crit, ...) can be forged. */
function forge(header: object, claims: object, key: string | Buffer, hash = 'sha256'): string {
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac(hash, key).update(input).digest('base64url')}`;
}

async function expectRefused(app: App, authorization: string): Promise<void> {
  const res = await app.inject({ url: '/me', headers: { authorization } });
  expect({ authorization: authorization.slice(0, 60), status: res.statusCode }).toEqual({ authorization: authorization.slice(0, 60), status: 401 });
  expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  expect(res.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
}

beforeEach(() => {
  handlerCalls = 0;
});

afterEach(() => {
  // None of the hostile tokens reached a handler.
  expect(handlerCalls).toBe(0);
});

describe('an HS256 app refuses forged and stale tokens with 401 + WWW-Authenticate', () => {
  const app = appWith({ secret, algorithms: ['HS256'], issuer, audience });
  afterAll(() => app.close());

  test('the control: a valid token reaches the handler', async () => {
    const res = await app.inject({ url: '/me', headers: { authorization: `Bearer ${await hs256()}` } });
    expect(res.json()).toEqual({ sub: 'alice' });
    handlerCalls = 0;
  });

  test('alg: none, in any spelling', async () => {
    const unsigned = new UnsecuredJWT({ ...valid, exp: now() + 600 }).encode();
    await expectRefused(app, `Bearer ${unsigned}`);
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
      const body = Buffer.from(JSON.stringify({ ...valid, exp: now() + 600 })).toString('base64url');
      await expectRefused(app, `Bearer ${header}.${body}.`);
      await expectRefused(app, `Bearer ${header}.${body}`);
    }
  });

  test('a tampered signature, payload or header', async () => {
    const token = await hs256();
    const [h, p, s] = token.split('.') as [string, string, string];
    const flipped = `${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1)}`;
    await expectRefused(app, `Bearer ${h}.${p}.${flipped}`);
    await expectRefused(app, `Bearer ${h}.${p}.`);
    const admin = Buffer.from(JSON.stringify({ ...valid, sub: 'admin', exp: now() + 600 })).toString('base64url');
    await expectRefused(app, `Bearer ${h}.${admin}.${s}`);
    const hs512 = Buffer.from(JSON.stringify({ alg: 'HS512' })).toString('base64url');
    await expectRefused(app, `Bearer ${hs512}.${p}.${s}`);
    await expectRefused(app, `Bearer ${await hs256(valid, new TextEncoder().encode('another-secret-that-is-long-enough-too!!'))}`);
  });

  test('expired and not-yet-valid tokens', async () => {
    await expectRefused(app, `Bearer ${await hs256(valid, secret, now() - 1)}`);
    await expectRefused(app, `Bearer ${await hs256({ ...valid, nbf: now() + 600 })}`);
    await expectRefused(app, `Bearer ${forge({ alg: 'HS256' }, valid, Buffer.from(secret))}`); // no exp at all
  });

  test('a wrong issuer or audience', async () => {
    await expectRefused(app, `Bearer ${await hs256({ ...valid, iss: 'https://evil.example.com' })}`);
    await expectRefused(app, `Bearer ${await hs256({ ...valid, aud: 'another-api' })}`);
    await expectRefused(app, `Bearer ${await hs256({ sub: 'alice' })}`);
  });

  test('a crit header the verifier does not understand', async () => {
    await expectRefused(app, `Bearer ${forge({ alg: 'HS256', crit: ['x-must-know'], 'x-must-know': 1 }, { ...valid, exp: now() + 600 }, Buffer.from(secret))}`);
  });

  test('a huge token', async () => {
    const token = await hs256();
    await expectRefused(app, `Bearer ${token}${'A'.repeat(200_000)}`);
    await expectRefused(app, `Bearer ${'A'.repeat(100_000)}.${'B'.repeat(100_000)}.${'C'.repeat(100_000)}`);
  });

  test.each([
    'Bearer',
    'Bearer    ',
    'Bearer a',
    'Bearer a.b',
    'Bearer a.b.c',
    'Bearer ...',
    'Bearer a.b.c.d.e',
    'Bearer eyJhbGciOiJIUzI1NiJ9.%%%.abc',
    'Bearer {"alg":"none"}',
    'bearer x.y.z',
    'BEARER x.y.z',
    'Bearer x.y.z extra',
    'Basic YWxpY2U6c2VjcmV0',
    'Digest username="alice"',
    'Token abc',
    'NotAScheme',
    '',
  ])('garbage Authorization %j', async (authorization) => {
    await expectRefused(app, authorization);
  });

  test('garbage over a real socket, and a token over the header size limit (431); the server still serves', async () => {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const signedButHuge = await hs256({ ...valid, padding: 'x'.repeat(100_000) });
    const tooBig = await rawHttp(url, [`GET /me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${signedButHuge}\r\nConnection: close\r\n\r\n`]);
    expect(tooBig.statuses[0]).toBe(431);
    for (const authorization of ['Bearer \x01\x02\x03', `Bearer ${'x'.repeat(12_000)}`, 'Bearer ' + 'é'.repeat(100)]) {
      const res = await rawHttp(url, [`GET /me HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nConnection: close\r\n\r\n`]);
      expect(res.statuses[0]).toBeGreaterThanOrEqual(400);
      expect(res.statuses[0]).toBeLessThan(500);
      if (res.statuses[0] === 401) expect(res.text.toLowerCase()).toContain('www-authenticate: bearer');
    }
    expect(await stillServes(url)).toBe(200);
  });
});

describe('an RS256 app refuses HS/RS key confusion', () => {
  const app = appWith({ publicKey: publicPem, algorithms: ['RS256'], issuer, audience });
  afterAll(() => app.close());

  test('the control: an RS256 token signed with the private key passes', async () => {
    const res = await app.inject({ url: '/me', headers: { authorization: `Bearer ${await rs256()}` } });
    expect(res.statusCode).toBe(200);
    handlerCalls = 0;
  });

  test('an HS256 token whose HMAC key is the public key (PEM text and DER bytes)', async () => {
    const claims = { ...valid, exp: now() + 600 };
    await expectRefused(app, `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, claims, publicPem)}`);
    await expectRefused(app, `Bearer ${forge({ alg: 'HS256' }, claims, publicPem.trim())}`);
    const der = createPublicKey(publicPem).export({ type: 'spki', format: 'der' });
    await expectRefused(app, `Bearer ${forge({ alg: 'HS256' }, claims, der)}`);
    await expectRefused(app, `Bearer ${forge({ alg: 'HS512' }, claims, publicPem, 'sha512')}`);
  });

  test('an RS256 header over an HS256 signature, and a token signed by another RSA key', async () => {
    const claims = { ...valid, exp: now() + 600 };
    await expectRefused(app, `Bearer ${forge({ alg: 'RS256' }, claims, publicPem)}`);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(other);
    await expectRefused(app, `Bearer ${foreign}`);
  });
});

describe('a JWKS app trusts no key the token brings along', () => {
  let app: App;
  const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });

  beforeAll(async () => {
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    app = appWith({ jwks: { keys: [jwk] }, algorithms: ['RS256'], issuer, audience });
  });

  afterAll(() => app.close());

  const signed = (header: Record<string, unknown>, key = attacker.privateKey) =>
    new SignJWT({ ...valid }).setProtectedHeader({ alg: 'RS256', ...header }).setExpirationTime(now() + 600).sign(key);

  test('the control: a token for kid k1 passes', async () => {
    const res = await app.inject({ url: '/me', headers: { authorization: `Bearer ${await signed({ kid: 'k1' }, privateKey)}` } });
    expect(res.statusCode).toBe(200);
    handlerCalls = 0;
  });

  test('an embedded jwk, a jku / x5u URL, or a kid that is a path or unknown', async () => {
    const embedded = { ...(await exportJWK(attacker.publicKey)), kid: 'k1' };
    await expectRefused(app, `Bearer ${await signed({ kid: 'k1', jwk: embedded })}`);
    await expectRefused(app, `Bearer ${await signed({ jwk: embedded })}`);
    await expectRefused(app, `Bearer ${await signed({ kid: 'k1', jku: 'http://127.0.0.1:1/keys.json' })}`);
    await expectRefused(app, `Bearer ${await signed({ kid: 'k1', x5u: 'http://127.0.0.1:1/cert.pem' })}`);
    await expectRefused(app, `Bearer ${await signed({ kid: '../../../../dev/null' })}`);
    await expectRefused(app, `Bearer ${await signed({ kid: 'unknown' })}`);
    await expectRefused(app, `Bearer ${await signed({ kid: 'k1' })}`);
  });
});
