import type { App } from '../app.js';
import { Response } from '../http/response.js';
import type { RouteOptions } from '../metadata/types.js';
import { joinPath } from '../routing/path.js';
import { buildOpenApiDocument, type BuildDocumentOptions } from './build-document.js';
import { docsPageRoutes } from './docs-page.js';
import type { DocsOptions } from './types.js';

/** Where the document is served; fixed, as shared/API.md promises. */
export const documentPath = '/openapi.json';

function optionalString(options: DocsOptions, key: keyof DocsOptions): string | undefined {
  const value = options[key];
  if (value !== undefined && typeof value !== 'string') throw new TypeError(`enableDocs(): ${key} must be a string`);
  return value;
}

/**
 * Adds the docs routes to `app`: `/openapi.json` and the page at `options.path`. The document is
 * built once, by a startup hook, when the route table is final; the docs' own routes are public,
 * not rate limited and left out of it.
 */
export function mountDocs(app: Pick<App, 'get' | 'onEvent' | 'routes'>, options: DocsOptions, applies: BuildDocumentOptions['applies']): void {
  if (options === null || typeof options !== 'object') throw new TypeError('enableDocs() takes an options object, e.g. { title: "My API", version: "1.0.0" }');
  const path = joinPath('', optionalString(options, 'path') ?? '/docs', 'enableDocs()');
  const info: BuildDocumentOptions['info'] = { title: optionalString(options, 'title') ?? 'API', version: optionalString(options, 'version') ?? '1.0.0' };
  const description = optionalString(options, 'description');
  if (description !== undefined) info.description = description;

  const own = new Set<Function>();
  const routeOptions: RouteOptions = { public: true, rateLimit: false };
  let json = '';
  const serveDocument = () => new Response(json, { headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' } });
  own.add(serveDocument);
  app.get(documentPath, serveDocument, routeOptions);
  for (const route of docsPageRoutes({ path, title: info.title, documentUrl: documentPath })) {
    own.add(route.handler);
    app.get(route.path, route.handler, routeOptions);
  }
  app.onEvent('startup', () => {
    json = JSON.stringify(buildOpenApiDocument(app.routes(), { info, applies, exclude: (def) => own.has(def.handler) }));
  });
}
