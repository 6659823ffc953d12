import type { App } from '../app.js';
import { celloError } from '../errors/cello-error.js';
import { featureOrder, type Feature } from '../features/feature.js';
import { Response } from '../http/response.js';
import type { RouteOptions } from '../metadata/types.js';
import { joinPath } from '../routing/path.js';
import type { RouteInfo } from '../routing/route-info.js';
import { buildOpenApiDocument, type BuildDocumentOptions } from './build-document.js';
import { docsPageRoutes } from './docs-page.js';
import type { DocsOptions, OpenApiDocument } from './types.js';

/** Where the document is served; fixed, as shared/API.md promises. */
export const documentPath = '/openapi.json';

function optionalString(options: DocsOptions, key: keyof DocsOptions): string | undefined {
  const value = options[key];
  if (value !== undefined && typeof value !== 'string') throw celloError('CELLO_ERR_DOCS_CONFIG', [`${key} must be a string`]);
  return value;
}

/**
 * `/openapi.json` and the page at `options.path`. The document is built once, when the app
 * starts and the route table is final; the docs' own routes are public, not rate limited and
 * left out of it.
 */
export class DocsFeature implements Feature {
  readonly name = 'docs';
  readonly order = featureOrder.docs;
  readonly #info: BuildDocumentOptions['info'];
  readonly #applies: BuildDocumentOptions['applies'];
  readonly #ownPaths = new Set<string>();
  #json = '';

  constructor(app: Pick<App, 'get'>, options: DocsOptions, applies: BuildDocumentOptions['applies']) {
    if (options === null || typeof options !== 'object') throw celloError('CELLO_ERR_DOCS_CONFIG', ['enableDocs() takes an options object, e.g. { title: "My API", version: "1.0.0" }']);
    const path = joinPath('', optionalString(options, 'path') ?? '/docs', 'enableDocs()');
    this.#info = { title: optionalString(options, 'title') ?? 'API', version: optionalString(options, 'version') ?? '1.0.0' };
    const description = optionalString(options, 'description');
    if (description !== undefined) this.#info.description = description;
    this.#applies = applies;

    const routeOptions: RouteOptions = { public: true, rateLimit: false };
    const serveDocument = () => new Response(this.#json, { headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' } });
    app.get(documentPath, serveDocument, routeOptions);
    this.#ownPaths.add(documentPath);
    for (const route of docsPageRoutes({ path, title: this.#info.title, documentUrl: documentPath })) {
      app.get(route.path, route.handler, routeOptions);
      this.#ownPaths.add(joinPath('', route.path, 'enableDocs()'));
    }
  }

  forRoute(): null {
    return null;
  }

  onStart(app: App): void {
    this.#json = JSON.stringify(this.document(app));
  }

  /** The document `/openapi.json` serves, built from the route table as it is now. */
  document(app: Pick<App, 'routes'>): OpenApiDocument {
    const own = this.#ownPaths;
    const exclude = (route: RouteInfo) => route.controller === null && own.has(route.path);
    return buildOpenApiDocument(app.routes(), { info: { ...this.#info }, applies: this.#applies, exclude });
  }
}
