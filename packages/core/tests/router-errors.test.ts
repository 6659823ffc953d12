import net from 'node:net';
import { App } from '@cello/core';

// A raw request line: fetch and inject both normalise URLs these tests need as sent.
function rawGet(port: number, path: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`));
    let out = '';
    socket.on('data', (d) => { out += d; });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, body = ''] = out.split('\r\n\r\n');
      const [statusLine, ...lines] = head!.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body });
    });
  });
}

describe('answers the router gives before any route runs', () => {
  let app: App;
  let port: number;
  beforeAll(async () => {
    app = new App({ logger: false, handleSignals: false });
    app.enableSecurityHeaders();
    app.enableRequestId();
    app.get('/items/{id}', (req) => req.params);
    port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port);
  });
  afterAll(() => app.close());

  test('a malformed percent-encoding is 400 in the JSON error shape, with the security headers and request id, not echoing the URL', async () => {
    const res = await rawGet(port, '/items/%zz-secret');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ statusCode: 400, error: 'Bad Request', message: 'The URL is not valid: a percent-encoding (%XX) is malformed' });
    expect(res.body).not.toContain('secret');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toMatch(/^[\w-]+$/);
  });

  test('a path parameter over maxParamLength is 414 in the JSON error shape, not echoing the URL', async () => {
    const res = await rawGet(port, `/items/${'a'.repeat(200)}`);
    expect(res.status).toBe(414);
    expect(JSON.parse(res.body)).toEqual({ statusCode: 414, error: 'URI Too Long', message: 'A path parameter is longer than 100 characters (maxParamLength)', code: 'CELLO_ERR_PARAM_TOO_LONG' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toBeDefined();
  });

  test('the app still serves afterwards', async () => {
    const res = await rawGet(port, '/items/7');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ id: '7' });
  });
});
