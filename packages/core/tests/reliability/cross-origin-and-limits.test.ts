import { request as httpRequest, Agent } from 'node:http';
import { App, Cache, Controller, Get, RateLimitConfig } from '@cello/core';
import { stillServes } from './raw-http';

const allowed = 'https://app.example.com';

@Controller('/')
class CatalogController {
  @Get('/data')
  data() {
    return { items: [1, 2, 3] };
  }

  @Get('/cached')
  @Cache({ ttl: 60 })
  cached() {
    return { cached: true };
  }
}

describe('CORS with credentials never reflects an arbitrary origin', () => {
  const app = new App({ controllers: [CatalogController], logger: false });
  app.get('/ping', () => ({ ok: true }));
  app.enableCors({ origins: [allowed], credentials: true, maxAge: 600 });
  afterAll(() => app.close());

  const hostile = [
    'https://evil.example',
    'null',
    'https://app.example.com.evil.example',
    'https://evil.example/https://app.example.com',
    'https://evilapp.example.com',
    'http://app.example.com',
    'https://app.example.com:8443',
    'https://APP.EXAMPLE.COM',
    'https://app.example.com/',
    ' https://app.example.com',
    'https://app.example.com, https://evil.example',
    '*',
    '',
  ];

  test('the control: the listed origin is allowed, with credentials', async () => {
    const res = await app.inject({ url: '/data', headers: { origin: allowed } });
    expect(res.headers['access-control-allow-origin']).toBe(allowed);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers.vary).toMatch(/Origin/);
  });

  test.each(hostile)('origin %j gets no CORS grant on a request, a preflight or an unknown path', async (origin) => {
    const actual = await app.inject({ url: '/data', headers: { origin, cookie: 'session=1' } });
    const preflight = await app.inject({ method: 'OPTIONS', url: '/data', headers: { origin, 'access-control-request-method': 'GET' } });
    const unknown = await app.inject({ url: '/nowhere', headers: { origin } });

    for (const res of [actual, preflight, unknown]) {
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(res.headers['access-control-allow-methods']).toBeUndefined();
    }
    expect(actual.statusCode).toBe(200); // CORS is the browser's to enforce; the server only withholds the grant
    expect(actual.headers.vary).toMatch(/Origin/);
  });

  test('a cached response first made for the allowed origin is never replayed with its grant to another origin', async () => {
    const first = await app.inject({ url: '/cached', headers: { origin: allowed } });
    const evil = await app.inject({ url: '/cached', headers: { origin: 'https://evil.example' } });
    const none = await app.inject({ url: '/cached' });

    expect(first.headers['access-control-allow-origin']).toBe(allowed);
    for (const res of [evil, none]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
    expect(evil.headers.vary).toMatch(/Origin/);
  });

  test('credentials with origins \'*\' is refused at startup', () => {
    const other = new App({ logger: false });
    expect(() => other.enableCors({ origins: '*', credentials: true })).toThrow(/CELLO_ERR_CORS_CONFIG|credentials/);
  });
});

/** A GET over a fresh connection (no keep-alive) with extra headers: the status. */
function get(url: string, path: string, headers: Record<string, string>, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('rate limits over real sockets', () => {
  const limit = 40;
  let app: App;
  let url: string;
  let agent: Agent;

  beforeEach(async () => {
    app = new App({ controllers: [CatalogController], logger: false });
    app.get('/ping', () => ({ ok: true }), { rateLimit: false });
    app.enableRateLimit(RateLimitConfig.slidingWindow({ requests: limit, window: 600 }));
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  });

  afterEach(async () => {
    expect(await stillServes(url)).toBe(200);
    agent.destroy();
    await app.close();
  });

  const spoofing = (i: number): Record<string, string> => ({
    'x-forwarded-for': `203.0.113.${i % 250}, 10.0.0.${i % 250}`,
    'x-real-ip': `198.51.100.${i % 250}`,
    forwarded: `for=192.0.2.${i % 250}`,
    'true-client-ip': `192.0.2.${i % 250}`,
    'cf-connecting-ip': `192.0.2.${i % 250}`,
  });

  test('X-Forwarded-For and friends do not make new clients when trustProxy is off', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < limit + 10; i++) statuses.push(await get(url, '/data', spoofing(i), agent));

    expect(statuses.filter((s) => s === 200)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect(statuses.slice(0, limit).every((s) => s === 200)).toBe(true);
  });

  test('100 concurrent requests (each its own socket, spoofed headers) are counted exactly', async () => {
    const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => get(url, '/data', spoofing(i), agent)));

    expect(statuses.filter((s) => s === 200)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - limit);
  });

  test('100 concurrent requests to a cached route are counted exactly too (a hit is not free of the limit)', async () => {
    const statuses = await Promise.all(Array.from({ length: 100 }, () => get(url, '/cached', {}, agent)));

    expect(statuses.filter((s) => s === 200)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - limit);
  });
});
