import { App, HttpError, RateLimitConfig, Response } from '@cello/core';

const expected = {
  'content-security-policy': expect.stringContaining("default-src 'self'"),
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

describe('enableSecurityHeaders()', () => {
  let app: App;

  beforeEach(() => {
    app = new App({ logger: false });
    app.get('/ok', () => ({ ok: true }));
    app.get('/bad', () => { throw HttpError.badRequest('nope'); });
    app.get('/boom', () => { throw new Error('kaput'); });
  });

  afterEach(async () => {
    await app.close();
  });

  test('sets helmet\'s defaults on a normal response', async () => {
    app.enableSecurityHeaders();

    const res = await app.inject({ method: 'GET', url: '/ok' });

    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject(expected);
  });

  test.each([
    ['a thrown HttpError', '/bad', 'GET', 400],
    ['an unknown error', '/boom', 'GET', 500],
    ['an unknown route', '/nowhere', 'GET', 404],
    ['a wrong method', '/ok', 'DELETE', 405],
  ])('are on %s too', async (_label, url, method, status) => {
    app.enableSecurityHeaders();

    const res = await app.inject({ method: method as 'GET', url });

    expect(res.statusCode).toBe(status);
    expect(res.headers).toMatchObject(expected);
  });

  test('are on answers the rate limiter and JWT give before the handler (429, 401)', async () => {
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 1, window: 60 }));
    app.enableJwt({ secret: 'a-test-secret-that-is-long-enough-for-hs256!', algorithms: ['HS256'] });
    app.enableSecurityHeaders();

    const unauthorized = await app.inject({ method: 'GET', url: '/ok', headers: { authorization: 'Bearer forged' } });
    const limited = await app.inject({ method: 'GET', url: '/ok' });

    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.headers).toMatchObject(expected);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers).toMatchObject(expected);
  });

  test('are on CORS preflight answers', async () => {
    app.enableSecurityHeaders();
    app.enableCors();

    const res = await app.inject({ method: 'OPTIONS', url: '/ok', headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' } });

    expect(res.statusCode).toBe(204);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  // Known bug, reported to the lead: app.ts's not-found handler runs the built-ins' onUnmatched
  // in the order they were enabled, not in builtinOrder, so a preflight answered by CORS skips
  // the built-ins enabled after it. Turn this into a plain test() once that is fixed.
  test('are on CORS preflight answers when enabled after CORS too', async () => {
    app.enableCors();
    app.enableSecurityHeaders();

    const res = await app.inject({ method: 'OPTIONS', url: '/ok', headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' } });

    expect(res.statusCode).toBe(204);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  test('an override replaces one header; false leaves one out', async () => {
    app.enableSecurityHeaders({
      'Content-Security-Policy': "default-src 'none'",
      'x-frame-options': 'DENY',
      'strict-transport-security': false,
      'permissions-policy': 'camera=()',
    });

    const res = await app.inject({ method: 'GET', url: '/ok' });

    expect(res.headers['content-security-policy']).toBe("default-src 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['permissions-policy']).toBe('camera=()');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  test('a handler may still set one of these headers itself', async () => {
    app.enableSecurityHeaders();
    app.get('/embeddable', () => Response.html('<p>hi</p>', { headers: { 'x-frame-options': 'ALLOWALL' } }));

    const res = await app.inject({ method: 'GET', url: '/embeddable' });

    expect(res.headers['x-frame-options']).toBe('ALLOWALL');
  });

  test('without enableSecurityHeaders() none are sent', async () => {
    const res = await app.inject({ method: 'GET', url: '/ok' });

    expect(res.headers['x-content-type-options']).toBeUndefined();
    expect(res.headers['content-security-policy']).toBeUndefined();
  });
});
