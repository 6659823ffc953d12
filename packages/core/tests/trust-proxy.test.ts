import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, RateLimitConfig, type AppOptions, type Request } from '@cello/core';

// A one-hop reverse proxy like nginx's `proxy_add_x_forwarded_for`: it appends the address of
// whoever connected to it, and keeps whatever the client already wrote in front.
function startProxy(target: string): Promise<{ url: string; server: Server }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const seen = req.headers['x-forwarded-for'];
    const forwarded = [seen, req.socket.remoteAddress].filter(Boolean).join(', ');
    const out = httpRequest({
      host: upstream.hostname,
      port: upstream.port,
      // The proxy reaches the app from 127.0.0.1, the one address the app is told to trust.
      localAddress: '127.0.0.1',
      method: req.method,
      path: req.url,
      headers: { ...req.headers, 'x-forwarded-for': forwarded },
    }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    out.on('error', (err) => res.destroy(err));
    req.pipe(out);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }));
  });
}

// A client on its own loopback address (Linux routes all of 127.0.0.0/8 to lo).
function get(url: string, from: string, forwardedFor?: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/ip`, {
      localAddress: from,
      agent: false,
      headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    }, (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('behind a reverse proxy', () => {
  let app: App | undefined;
  let proxy: Server | undefined;

  afterEach(async () => {
    await app?.close();
    await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
    app = undefined;
    proxy = undefined;
  });

  async function serve(options: AppOptions): Promise<{ appUrl: string; proxyUrl: string }> {
    app = new App({ logger: false, handleSignals: false, ...options });
    app.get('/ip', (req: Request) => ({ ip: req.ip }));
    app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 2, window: 60 }));
    const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const started = await startProxy(appUrl);
    proxy = started.server;
    return { appUrl, proxyUrl: started.url };
  }

  test('trustProxy set to the proxy\'s address: req.ip is the client, one rate-limit bucket per client', async () => {
    const { proxyUrl } = await serve({ trustProxy: '127.0.0.1' });

    // Client A writes its own X-Forwarded-For; only the proxy's entry is believed.
    const a1 = await get(proxyUrl, '127.0.0.2', '203.0.113.7');
    const a2 = await get(proxyUrl, '127.0.0.2', '203.0.113.8');
    const a3 = await get(proxyUrl, '127.0.0.2', '203.0.113.9');
    const b1 = await get(proxyUrl, '127.0.0.3');

    expect([a1.body.ip, a2.body.ip, b1.body.ip]).toEqual(['127.0.0.2', '127.0.0.2', '127.0.0.3']);
    expect([a1.status, a2.status, a3.status, b1.status]).toEqual([200, 200, 429, 200]);
  });

  test('trustProxy off: a spoofed X-Forwarded-For does not get a fresh rate-limit bucket', async () => {
    const { appUrl } = await serve({});

    const statuses = [];
    for (const spoofed of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      statuses.push((await get(appUrl, '127.0.0.4', spoofed)).status);
    }

    expect(statuses).toEqual([200, 200, 429]);
  });

  test('trustProxy off behind a proxy: every client is the proxy (what a silently ignored setting looks like)', async () => {
    const { proxyUrl } = await serve({});

    const a = await get(proxyUrl, '127.0.0.2');
    const b = await get(proxyUrl, '127.0.0.3');

    expect([a.body.ip, b.body.ip]).toEqual(['127.0.0.1', '127.0.0.1']);
  });

  test('a hop count (trustProxy: 1) is refused at startup, naming the fix', () => {
    expect(() => new App({ logger: false, trustProxy: 1 as unknown as AppOptions['trustProxy'] }))
      .toThrow(expect.objectContaining({ code: 'CELLO_ERR_APP_TRUST_PROXY', message: expect.stringContaining('loopback') }));
  });
});
