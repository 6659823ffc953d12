import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { App, Controller, Get } from '@cello/core';
import { docsApp } from './helpers/docs-app';

const swaggerUiDir = dirname(require.resolve('swagger-ui-dist/package.json'));
const chromiumPath = '/usr/bin/chromium';

function attributes(html: string, tag: string, attribute: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'g'))) {
    const value = new RegExp(`\\s${attribute}="([^"]*)"`).exec(m[0]);
    if (value) out.push(value[1]!.replace(/&amp;/g, '&'));
  }
  return out;
}

describe('the docs page (/docs)', () => {
  let app: App;
  let html: string;

  beforeAll(async () => {
    app = docsApp({ title: 'Shop <API> & "friends"', version: '1.0.0' });
    app.enableSecurityHeaders();
    const res = await app.inject('/docs');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    html = res.body;
  });
  afterAll(() => app?.close());

  test('is plain HTML with no inline script and no link off the server', () => {
    expect(html).toContain('<title>Shop &lt;API&gt; &amp; &quot;friends&quot;</title>');
    // The app's CSP is `script-src 'self'`: every script is a file.
    expect(html.match(/<script\b/g)).toHaveLength(3);
    expect(attributes(html, 'script', 'src')).toHaveLength(3);
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/https?:\/\//);
    for (const url of [...attributes(html, 'script', 'src'), ...attributes(html, 'link', 'href')]) {
      expect(url.startsWith('/docs/assets/')).toBe(true);
    }
    expect(html).toContain('data-url="/openapi.json"');
  });

  test('serves Swagger UI\'s files from swagger-ui-dist with their types and long caching', async () => {
    const expected: Record<string, string> = {
      'swagger-ui.css': 'text/css; charset=utf-8',
      'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
      'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
      'favicon-32x32.png': 'image/png',
    };
    const urls = [...attributes(html, 'script', 'src'), ...attributes(html, 'link', 'href')];
    for (const [name, type] of Object.entries(expected)) {
      const url = urls.find((u) => u.startsWith(`/docs/assets/${name}?`));
      expect(url).toBeDefined();
      const res = await app.inject(url!);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.rawPayload.equals(readFileSync(join(swaggerUiDir, name)))).toBe(true);
      const again = await app.inject({ url: url!, headers: { 'if-none-match': String(res.headers.etag) } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
    }
  });

  test('starts Swagger UI from a served script, on /openapi.json, without the online validator', async () => {
    const url = attributes(html, 'script', 'src').find((u) => u.startsWith('/docs/assets/swagger-initializer.js?'));
    const res = await app.inject(url!);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.body).toContain('SwaggerUIBundle(');
    expect(res.body).toContain("getAttribute('data-url')");
    expect(res.body).toContain('validatorUrl: null');
    expect(res.body).not.toMatch(/https?:\/\//);
  });

  test('serves only the listed files under assets/', async () => {
    for (const url of ['/docs/assets/index.html', '/docs/assets/package.json', '/docs/assets/..%2Fpackage.json', '/docs/assets/swagger-ui.js.map']) {
      expect((await app.inject(url)).statusCode).toBe(404);
    }
  });

  test('the docs routes are public and not rate limited (the app limits to 3 per minute)', async () => {
    for (let i = 0; i < 6; i++) {
      for (const url of ['/docs', '/openapi.json']) {
        // An invalid token would be a 401 on an authenticated route; here it is not even read.
        const res = await app.inject({ url, headers: { authorization: 'Bearer not-a-token' } });
        expect(res.statusCode).toBe(200);
        expect(res.headers['ratelimit-limit']).toBeUndefined();
      }
    }
  });

  test('carries the app\'s security headers', async () => {
    const res = await app.inject('/docs');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });
});

describe('enableDocs({ path })', () => {
  test('serves the page and its assets under another path', async () => {
    @Controller('/')
    class PingController {
      @Get('/ping') ping() { return 'pong'; }
    }
    const app = new App({ controllers: [PingController], logger: false, handleSignals: false });
    app.enableDocs({ path: '/api-docs/' });
    try {
      const page = await app.inject('/api-docs');
      expect(page.statusCode).toBe(200);
      for (const url of attributes(page.body, 'script', 'src')) {
        expect(url.startsWith('/api-docs/assets/')).toBe(true);
        expect((await app.inject(url)).statusCode).toBe(200);
      }
      expect((await app.inject('/docs')).statusCode).toBe(404);
      const doc = JSON.parse((await app.inject('/openapi.json')).body);
      expect(doc.info).toEqual({ title: 'API', version: '1.0.0' });
      expect(Object.keys(doc.paths)).toEqual(['/ping']);
    } finally {
      await app.close();
    }
  });
});

// A real browser on a real socket, with no internet: the page must render from the app alone.
const hasChromium = existsSync(chromiumPath);
if (!hasChromium && !process.env.CI) {
  console.warn(`docs-page.test.ts: ${chromiumPath} not found, skipping the browser test (apt-get install chromium; CI installs it and fails without it).`);
}
const browserTest = hasChromium || process.env.CI ? test : test.skip;

describe('the docs page in Chromium', () => {
  browserTest('lists the operations, with the app\'s CSP on and nothing fetched off the server', async () => {
    const app = docsApp();
    app.enableSecurityHeaders();
    let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
    // Everything opened here is closed on every path: a listening app left behind keeps jest from exiting.
    try {
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      browser = await chromium.launch({
        executablePath: chromiumPath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
      });
      const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
      const offServer: string[] = [];
      const problems: string[] = [];
      await page.route('**/*', (route) => {
        if (route.request().url().startsWith(`${base}/`)) return route.continue();
        offServer.push(route.request().url());
        return route.abort();
      });
      page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
      page.on('pageerror', (err) => problems.push(err.message));

      const res = await page.goto(`${base}/docs`);
      expect(res?.status()).toBe(200);
      await page.locator('.opblock').first().waitFor({ timeout: 15000 });
      const paths = await page.locator('.opblock-summary-path').allTextContents();
      expect(paths.map((p) => p.replace(/\u200b/g, ''))).toEqual(expect.arrayContaining(['/users/{id}', '/users', '/auth/login', '/health', '/items/{itemId}']));
      expect(await page.locator('.opblock').count()).toBe(9);
      expect(await page.locator('.opblock-tag').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Users'), expect.stringContaining('Auth')]));
      await expect(page.locator('.info .title').textContent()).resolves.toContain('Sample API');
      // The lock icon of a JWT route: the security scheme made it into the UI.
      expect(await page.locator('.authorize').count()).toBeGreaterThan(0);

      // "Try it out" on the public health route: the page can call the API under the CSP.
      await page.locator('#operations-Health-HealthController_health .opblock-summary').click();
      await page.locator('#operations-Health-HealthController_health .try-out__btn').click();
      await page.locator('#operations-Health-HealthController_health .execute').click();
      const status = page.locator('#operations-Health-HealthController_health .live-responses-table tbody .response-col_status').first();
      await status.waitFor();
      expect(await status.textContent()).toContain('200');

      await page.screenshot({ path: '/tmp/cello-docs-page.png', fullPage: false });
      expect(offServer).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await browser?.close();
      await app.close();
    }
  }, 60000);
});
