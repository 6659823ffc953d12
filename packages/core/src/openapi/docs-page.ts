import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Request } from '../http/request.js';
import { Response } from '../http/response.js';
import { matchesIfNoneMatch } from '../cache/etag.js';

/** One route of the docs page: a path and its handler. */
export interface DocsPageRoute {
  readonly path: string;
  readonly handler: (req: Request) => Response;
}

export interface DocsPageOptions {
  /** The page's path (`/docs`). */
  path: string;
  title: string;
  /** Where the page fetches the document from. */
  documentUrl: string;
}

const js = 'text/javascript; charset=utf-8';

// Files of swagger-ui-dist the page loads, by name under `${path}/assets/`. A fixed list, not a
// `:file` parameter: nothing else in node_modules can be reached through these routes.
const bundled: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': js,
  'swagger-ui-standalone-preset.js': js,
  'favicon-32x32.png': 'image/png',
};

// Our own start-up script, served as a file: the app's CSP (`script-src 'self'`) forbids inline
// scripts. It reads the document URL from the page, so the script is the same for every app.
// validatorUrl: null, or Swagger UI shows a badge fetched from validator.swagger.io.
const initializer = `// Starts Swagger UI (served by @cello/core) on the document named by #swagger-ui's data-url.
window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-url'),
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
    validatorUrl: null
  });
});
`;

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEscapes[c]!);
}

interface Asset {
  readonly body: Buffer;
  readonly etag: string;
  readonly type: string;
}

function asset(body: Buffer, type: string): Asset {
  // Weak: compression may change the bytes on the wire, not what they mean.
  return { body, type, etag: `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

function serve(req: Request, file: Asset, cacheControl: string): Response {
  const headers = { 'cache-control': cacheControl, etag: file.etag };
  if (matchesIfNoneMatch(req.header('if-none-match'), file.etag)) return new Response(undefined, { status: 304, headers });
  return new Response(file.body, { headers: { ...headers, 'content-type': file.type } });
}

/** The folder of the installed swagger-ui-dist, and its version. */
export function swaggerUiDist(): { dir: string; version: string } {
  const manifest = require.resolve('swagger-ui-dist/package.json');
  return { dir: dirname(manifest), version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version };
}

/**
 * The routes of the interactive docs page: the HTML at `path`, and Swagger UI's files under
 * `${path}/assets/`, read from the installed swagger-ui-dist, so the page needs no internet.
 */
export function docsPageRoutes(options: DocsPageOptions): DocsPageRoute[] {
  const { dir, version } = swaggerUiDist();
  const assets = `${options.path === '/' ? '' : options.path}/assets`;
  // Asset URLs carry the package version, so browsers may keep them for a year: an upgrade
  // changes the URL. Files are read on first use, and once.
  const immutable = 'public, max-age=31536000, immutable';
  const versioned = (name: string, tag = version) => `${assets}/${name}?v=${encodeURIComponent(tag)}`;

  const routes: DocsPageRoute[] = Object.entries(bundled).map(([name, type]) => {
    let file: Asset | undefined;
    return { path: `${assets}/${name}`, handler: (req) => serve(req, (file ??= asset(readFileSync(join(dir, name)), type)), immutable) };
  });
  const script = asset(Buffer.from(initializer), js);
  routes.push({ path: `${assets}/swagger-initializer.js`, handler: (req) => serve(req, script, immutable) });

  const html = asset(Buffer.from(`<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(options.title)}</title>
  <link rel="stylesheet" href="${escapeHtml(versioned('swagger-ui.css'))}">
  <link rel="icon" type="image/png" href="${escapeHtml(versioned('favicon-32x32.png'))}">
</head>
<body>
  <div id="swagger-ui" data-url="${escapeHtml(options.documentUrl)}"></div>
  <noscript>This page needs JavaScript. The document itself is at <a href="${escapeHtml(options.documentUrl)}">${escapeHtml(options.documentUrl)}</a>.</noscript>
  <script src="${escapeHtml(versioned('swagger-ui-bundle.js'))}"></script>
  <script src="${escapeHtml(versioned('swagger-ui-standalone-preset.js'))}"></script>
  <script src="${escapeHtml(versioned('swagger-initializer.js', script.etag.slice(3, 15)))}"></script>
</body>
</html>
`), 'text/html; charset=utf-8');
  // The page itself is revalidated each time, so a new version's asset URLs are picked up.
  routes.push({ path: options.path, handler: (req) => serve(req, html, 'no-cache') });
  return routes;
}
