import { App, CelloError, Controller, Get, HttpError, Options, Post, RateLimitConfig, Response } from '@cello/core';

const allowed = 'https://app.example.com';
const other = 'https://evil.example.net';

function corsHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-')));
}

describe('enableCors()', () => {
  let app: App;

  beforeEach(() => {
    app = new App({ logger: false });
    app.get('/items', () => ({ items: [] }));
    app.post('/items', () => ({ created: true }));
  });

  afterEach(async () => {
    await app.close();
  });

  test('with no options allows any origin with `*` and no credentials', async () => {
    app.enableCors();

    const res = await app.inject({ method: 'GET', url: '/items', headers: { origin: other } });

    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  test('a request without Origin (same-origin, curl) is served as usual', async () => {
    app.enableCors({ origins: [allowed] });

    const res = await app.inject({ method: 'GET', url: '/items' });

    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  describe('an origin list', () => {
    beforeEach(() => {
      app.enableCors({ origins: [allowed, 'http://localhost:5173'] });
    });

    test('reflects a listed origin and varies on Origin', async () => {
      const res = await app.inject({ method: 'GET', url: '/items', headers: { origin: allowed } });

      expect(res.headers['access-control-allow-origin']).toBe(allowed);
      expect(res.headers.vary).toMatch(/\bOrigin\b/);
    });

    test('gives a disallowed origin no CORS headers at all (the browser blocks it)', async () => {
      const res = await app.inject({ method: 'GET', url: '/items', headers: { origin: other } });

      expect(res.statusCode).toBe(200);
      expect(corsHeaders(res.headers)).toEqual({});
      // Still varies: a cache must not serve this answer to an allowed origin.
      expect(res.headers.vary).toMatch(/\bOrigin\b/);
    });

    test('matches exactly: no prefix, suffix, case or port tricks', async () => {
      for (const origin of [`${allowed}.evil.net`, 'https://app.example.co', 'HTTPS://APP.EXAMPLE.COM', `${allowed}:444`, 'http://app.example.com', 'null']) {
        const res = await app.inject({ method: 'GET', url: '/items', headers: { origin } });

        expect(corsHeaders(res.headers)).toEqual({});
      }
    });

    test('a disallowed origin\'s preflight gets no CORS headers', async () => {
      const res = await app.inject({
        method: 'OPTIONS',
        url: '/items',
        headers: { origin: other, 'access-control-request-method': 'POST' },
      });

      expect(corsHeaders(res.headers)).toEqual({});
    });
  });

  test('origins may be a function of the origin', async () => {
    const seen: string[] = [];
    app.enableCors({ origins: (origin) => { seen.push(origin); return origin.endsWith('.example.com'); } });

    const ok = await app.inject({ method: 'GET', url: '/items', headers: { origin: allowed } });
    const no = await app.inject({ method: 'GET', url: '/items', headers: { origin: other } });

    expect(ok.headers['access-control-allow-origin']).toBe(allowed);
    expect(no.headers['access-control-allow-origin']).toBeUndefined();
    expect(seen).toEqual([allowed, other]);
  });

  test('an origin function that throws is a 500, not a crash', async () => {
    app.enableCors({ origins: () => { throw new Error('lookup failed'); } });

    const res = await app.inject({ method: 'GET', url: '/items', headers: { origin: allowed } });

    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('lookup failed');
  });

  test('credentials: true reflects the allowed origin (never `*`), with Allow-Credentials and Vary: Origin', async () => {
    app.enableCors({ origins: [allowed], credentials: true });

    const res = await app.inject({ method: 'GET', url: '/items', headers: { origin: allowed, cookie: 'sid=1' } });

    expect(res.headers['access-control-allow-origin']).toBe(allowed);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers.vary).toMatch(/\bOrigin\b/);
  });

  test('credentials with a function reflects the origin too', async () => {
    app.enableCors({ origins: () => true, credentials: true });

    const res = await app.inject({ method: 'GET', url: '/items', headers: { origin: other } });

    expect(res.headers['access-control-allow-origin']).toBe(other);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers.vary).toMatch(/\bOrigin\b/);
  });

  test.each([
    ['no origins', { credentials: true }],
    ["origins: '*'", { origins: '*' as const, credentials: true }],
  ])('credentials with %s is a startup error CELLO_ERR_CORS_CONFIG', (_label, options) => {
    let error: unknown;
    try {
      app.enableCors(options);
    } catch (err) {
      error = err;
    }

    expect(error).toBeInstanceOf(CelloError);
    expect((error as CelloError).code).toBe('CELLO_ERR_CORS_CONFIG');
    expect((error as Error).message).toMatch(/credentials/);
  });

  test('origins of the wrong type is a startup error CELLO_ERR_CORS_CONFIG', () => {
    expect(() => app.enableCors({ origins: 'https://app.example.com' as never })).toThrow(expect.objectContaining({ code: 'CELLO_ERR_CORS_CONFIG' }));
  });

  describe('preflight', () => {
    test('OPTIONS on a GET/POST path answers 204 with the methods, the asked headers and max-age', async () => {
      app.enableCors({ origins: [allowed], maxAge: 600 });
      let handlerRuns = 0;
      app.put('/other', () => { handlerRuns++; });

      const res = await app.inject({
        method: 'OPTIONS',
        url: '/items',
        headers: { origin: allowed, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-trace' },
      });

      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      expect(res.headers['access-control-allow-origin']).toBe(allowed);
      // HEAD rides along with GET (fastify answers it); no PUT: that is another path's.
      expect(String(res.headers['access-control-allow-methods']).split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'POST']);
      expect(res.headers['access-control-allow-headers']).toBe('content-type, x-trace');
      expect(res.headers['access-control-max-age']).toBe('600');
      expect(res.headers.vary).toMatch(/\bOrigin\b/);
      expect(res.headers.vary).toMatch(/Access-Control-Request-Headers/);
      expect(handlerRuns).toBe(0);
    });

    test('works with `*` origins and a path parameter', async () => {
      app.enableCors();
      app.delete('/items/{id}', () => undefined);

      const res = await app.inject({
        method: 'OPTIONS',
        url: '/items/42',
        headers: { origin: other, 'access-control-request-method': 'DELETE' },
      });

      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-methods']).toBe('DELETE');
      expect(res.headers['access-control-max-age']).toBeUndefined();
    });

    test('configured methods and allowedHeaders replace the defaults', async () => {
      app.enableCors({ origins: [allowed], methods: ['GET'], allowedHeaders: ['authorization', 'content-type'] });

      const res = await app.inject({
        method: 'OPTIONS',
        url: '/items',
        headers: { origin: allowed, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-anything' },
      });

      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-methods']).toBe('GET');
      expect(res.headers['access-control-allow-headers']).toBe('authorization, content-type');
    });

    test('a route that serves OPTIONS itself still answers preflights, and plain OPTIONS reach it', async () => {
      @Controller('/docs')
      class DocsController {
        @Get('/')
        list() { return []; }

        @Options('/')
        options() { return { custom: true }; }
      }
      app.register(DocsController);
      app.enableCors({ origins: [allowed] });

      const preflight = await app.inject({ method: 'OPTIONS', url: '/docs', headers: { origin: allowed, 'access-control-request-method': 'GET' } });
      const plain = await app.inject({ method: 'OPTIONS', url: '/docs', headers: { origin: allowed } });

      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(allowed);
      expect(plain.statusCode).toBe(200);
      expect(plain.json()).toEqual({ custom: true });
      expect(plain.headers['access-control-allow-origin']).toBe(allowed);
    });

    test('OPTIONS without Access-Control-Request-Method is not a preflight: 405 as without CORS', async () => {
      app.enableCors({ origins: [allowed] });

      const res = await app.inject({ method: 'OPTIONS', url: '/items', headers: { origin: allowed } });

      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD, POST');
      expect(res.headers['access-control-allow-origin']).toBe(allowed);
    });

    test('a preflight for an unknown path is a 404', async () => {
      app.enableCors({ origins: [allowed] });

      const res = await app.inject({ method: 'OPTIONS', url: '/nowhere', headers: { origin: allowed, 'access-control-request-method': 'GET' } });

      expect(res.statusCode).toBe(404);
    });
  });

  test('a handler that sets its own Vary keeps Vary: Origin (a shared cache must key on both)', async () => {
    app.enableCors({ origins: [allowed] });
    app.get('/localized', () => Response.json({ hello: 'world' }, { headers: { vary: 'Accept-Language' } }));

    const res = await app.inject({ method: 'GET', url: '/localized', headers: { origin: allowed } });

    expect(String(res.headers.vary).split(/,\s*/).sort()).toEqual(['Accept-Language', 'Origin']);
  });

  test('exposedHeaders become Access-Control-Expose-Headers on actual requests', async () => {
    app.enableCors({ origins: [allowed], exposedHeaders: ['x-total-count', 'ratelimit-remaining'] });

    const res = await app.inject({ method: 'GET', url: '/items', headers: { origin: allowed } });
    const denied = await app.inject({ method: 'GET', url: '/items', headers: { origin: other } });

    expect(res.headers['access-control-expose-headers']).toBe('x-total-count, ratelimit-remaining');
    expect(denied.headers['access-control-expose-headers']).toBeUndefined();
  });

  describe('error responses carry CORS headers too (else the browser hides the error)', () => {
    beforeEach(() => {
      app.enableCors({ origins: [allowed], credentials: true, exposedHeaders: ['retry-after'] });
    });

    test('a handler throwing HttpError 400', async () => {
      app.get('/fail', () => { throw HttpError.badRequest('bad input'); });

      const res = await app.inject({ method: 'GET', url: '/fail', headers: { origin: allowed } });

      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: 'bad input' });
      expect(res.headers['access-control-allow-origin']).toBe(allowed);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
    });

    test('an unknown error (500)', async () => {
      app.get('/boom', () => { throw new Error('secret internals'); });

      const res = await app.inject({ method: 'GET', url: '/boom', headers: { origin: allowed } });

      expect(res.statusCode).toBe(500);
      expect(res.headers['access-control-allow-origin']).toBe(allowed);
    });

    test('an unknown route (404)', async () => {
      const res = await app.inject({ method: 'GET', url: '/nowhere', headers: { origin: allowed } });

      expect(res.statusCode).toBe(404);
      expect(res.headers['access-control-allow-origin']).toBe(allowed);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
    });

    test('a wrong method (405)', async () => {
      const res = await app.inject({ method: 'DELETE', url: '/items', headers: { origin: allowed } });

      expect(res.statusCode).toBe(405);
      expect(res.headers['access-control-allow-origin']).toBe(allowed);
    });

    test('a 429 from rate limiting, with its rate-limit headers exposed', async () => {
      app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 1, window: 60 }));

      await app.inject({ method: 'GET', url: '/items', headers: { origin: allowed } });
      const res = await app.inject({ method: 'GET', url: '/items', headers: { origin: allowed } });

      expect(res.statusCode).toBe(429);
      expect(res.headers['access-control-allow-origin']).toBe(allowed);
      expect(res.headers['access-control-expose-headers']).toBe('retry-after');
      expect(res.headers['retry-after']).toBeDefined();
    });

    test('a 401 from JWT', async () => {
      app.enableJwt({ secret: 'a-test-secret-that-is-long-enough-for-hs256!', algorithms: ['HS256'] });

      const res = await app.inject({ method: 'GET', url: '/items', headers: { origin: allowed, authorization: 'Bearer forged' } });

      expect(res.statusCode).toBe(401);
      expect(res.headers['access-control-allow-origin']).toBe(allowed);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
    });

    test('a 413 for a body over the limit', async () => {
      const small = new App({ logger: false, bodyLimit: 10 });
      small.post('/items', () => ({ ok: true }));
      small.enableCors({ origins: [allowed] });

      const res = await small.inject({ method: 'POST', url: '/items', headers: { origin: allowed }, payload: { text: 'x'.repeat(100) } });

      expect(res.statusCode).toBe(413);
      expect(res.headers['access-control-allow-origin']).toBe(allowed);
      await small.close();
    });
  });

  test('a controller route gets the same headers as a functional one', async () => {
    @Controller('/things')
    class ThingsController {
      @Post('/')
      create() { return { ok: true }; }
    }
    app.register(ThingsController);
    app.enableCors({ origins: [allowed] });

    const res = await app.inject({ method: 'POST', url: '/things', headers: { origin: allowed } });

    expect(res.headers['access-control-allow-origin']).toBe(allowed);
  });

  test('enableCors() after the app started is refused', async () => {
    await app.inject({ method: 'GET', url: '/items' });

    expect(() => app.enableCors()).toThrow(expect.objectContaining({ code: 'CELLO_ERR_ROUTE_AFTER_START' }));
  });
});
