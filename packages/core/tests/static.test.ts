import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CelloError } from '@cello/core';

const base = mkdtempSync(join(tmpdir(), 'cello-static-'));
const pub = join(base, 'public');
let app: App;

beforeAll(() => {
  mkdirSync(join(pub, 'docs'), { recursive: true });
  mkdirSync(join(pub, 'empty'));
  writeFileSync(join(pub, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(pub, 'app.js'), 'console.log(1)');
  writeFileSync(join(pub, 'style.css'), 'body{}');
  writeFileSync(join(pub, 'docs', 'index.html'), '<h1>docs</h1>');
  writeFileSync(join(pub, 'about.html'), '<h1>about</h1>');
  writeFileSync(join(pub, '%41.txt'), 'percent');
  writeFileSync(join(pub, '.secret'), 'dotfile');
  writeFileSync(join(base, 'secret.txt'), 'outside');
  symlinkSync(join(base, 'secret.txt'), join(pub, 'link-out.txt'));
  symlinkSync(base, join(pub, 'dir-out'));
  symlinkSync(join(pub, 'app.js'), join(pub, 'link-in.js'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

beforeEach(() => {
  app = new App({ logger: false });
  app.serveStatic('/assets', pub, { maxAge: 3600 });
});

afterEach(() => app.close());

describe('serveStatic', () => {
  test('serves files with their content type and max-age in seconds', async () => {
    const js = await app.inject('/assets/app.js');
    expect(js.statusCode).toBe(200);
    expect(js.body).toBe('console.log(1)');
    expect(js.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=3600');

    expect((await app.inject('/assets/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  test('ETag revalidation answers 304', async () => {
    const first = await app.inject('/assets/app.js');
    const again = await app.inject({ url: '/assets/app.js', headers: { 'if-none-match': first.headers.etag as string } });
    expect(again.statusCode).toBe(304);
  });

  test('Range works on static files', async () => {
    const res = await app.inject({ url: '/assets/app.js', headers: { range: 'bytes=0-6' } });
    expect(res.statusCode).toBe(206);
    expect(res.body).toBe('console');
  });

  test('a folder URL serves its index; without the slash it redirects', async () => {
    expect((await app.inject('/assets/')).body).toBe('<h1>home</h1>');
    expect((await app.inject('/assets')).body).toBe('<h1>home</h1>');
    expect((await app.inject('/assets/docs/')).body).toBe('<h1>docs</h1>');
    const redirect = await app.inject('/assets/docs?x=1');
    expect(redirect.statusCode).toBe(301);
    expect(redirect.headers.location).toBe('/assets/docs/?x=1');
  });

  test('no directory listing: a folder without an index is 404', async () => {
    const res = await app.inject('/assets/empty/');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not found' });
  });

  test('index: false turns index files off', async () => {
    const plain = new App({ logger: false });
    plain.serveStatic('/s', pub, { index: false });
    expect((await plain.inject('/s/docs/')).statusCode).toBe(404);
    expect((await plain.inject('/s/docs')).statusCode).toBe(404);
    await plain.close();
  });

  test('missing files and dotfiles are 404', async () => {
    expect((await app.inject('/assets/nope.js')).statusCode).toBe(404);
    expect((await app.inject('/assets/.secret')).statusCode).toBe(404);
  });

  test('file names are taken literally, not decoded twice', async () => {
    const res = await app.inject('/assets/%2541.txt');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('percent');
  });

  test('extensions serves /about from about.html', async () => {
    const site = new App({ logger: false });
    site.serveStatic('/', pub, { extensions: ['html'] });
    expect((await site.inject('/about')).body).toBe('<h1>about</h1>');
    expect((await site.inject('/')).body).toBe('<h1>home</h1>');
    await site.close();
  });

  test('a symlink that stays inside the folder is served', async () => {
    expect((await app.inject('/assets/link-in.js')).body).toBe('console.log(1)');
  });

  test('is a GET route in the route table, left out of OpenAPI', async () => {
    app.enableDocs();
    const rows = app.routes().filter((r) => r.handlerName === `serveStatic ${pub}`);
    expect(rows.map((r) => [r.methods, r.path])).toEqual([[['GET'], '/assets'], [['GET'], '/assets/*']]);
    const doc = (await app.inject('/openapi.json')).json();
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/assets'))).toEqual([]);
  });

  test('a missing folder or a bad option fails at once', () => {
    expect(() => app.serveStatic('/x', join(base, 'nope'))).toThrow(CelloError);
    expect(() => app.serveStatic('/x', join(base, 'nope'))).toThrow(/CELLO_ERR_STATIC_INVALID|does not exist/);
    expect(() => app.serveStatic('/x', join(pub, 'app.js'))).toThrow(/is not a folder/);
    expect(() => app.serveStatic('/x', pub, { maxAge: -1 })).toThrow(/maxAge must be a number of seconds/);
    expect(() => app.serveStatic('x', pub)).toThrow(/prefix must be a path/);
  });
});

// Sends the path exactly as written (no client-side normalisation of `..`).
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/`, { method: 'GET', path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveStatic refuses to leave its folder', () => {
  const attempts = [
    '/assets/../secret.txt',
    '/assets/../../../../etc/passwd',
    '/assets/%2e%2e/secret.txt',
    '/assets/%2E%2E%2Fsecret.txt',
    '/assets/..%2fsecret.txt',
    '/assets/..%5csecret.txt',
    '/assets/docs/../../secret.txt',
    '/assets/%252e%252e/secret.txt',
    '/assets//etc/passwd',
    '/assets/%2Fetc%2Fpasswd',
    `/assets/${encodeURIComponent(join(base, 'secret.txt'))}`,
    '/assets/link-out.txt',
    '/assets/dir-out/secret.txt',
    '/assets/app.js%00.png',
    '/assets/%00',
  ];

  test.each(attempts)('%s (inject)', async (path) => {
    const res = await app.inject(path);
    expect([400, 404]).toContain(res.statusCode);
    expect(res.body).not.toMatch(/outside|root:/);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  test('the same attempts over a real socket', async () => {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    for (const path of attempts) {
      const res = await rawGet(url, path);
      expect({ path, status: [400, 404].includes(res.status) }).toEqual({ path, status: true });
      expect(res.body).not.toMatch(/outside|root:/);
    }
  });
});
