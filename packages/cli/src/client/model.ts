import { CliError } from '../cli-error.js';

/** A value of the server's code the client refers to by type: a controller, DTO or handler. */
export type TypeSource = Function;

/** One client-facing handler parameter. */
export interface ClientParam {
  index: number;
  part: 'params' | 'query' | 'body' | 'headers';
  /** The field (`@Param('id')`), or undefined for the whole part. */
  name?: string;
  isDto: boolean;
}

/** One route as the client sees it. */
export interface ClientRoute {
  method: string;
  /** `{id}` form. */
  path: string;
  pathNames: string[];
  params: ClientParam[];
  /** The handler reads the raw request (`Request`, `RequestContext`): it may read any query key. */
  readsRequest: boolean;
  /** The route's `response:` DTO class, and whether it is `[Dto]`. */
  response?: { type: TypeSource; array: boolean };
  summary?: string;
}

export interface ControllerRoute extends ClientRoute {
  /** The property under the controller's object. */
  member: string;
  propertyKey: string;
}

export interface ClientController {
  /** `api.<property>`. */
  property: string;
  type: TypeSource;
  routes: ControllerRoute[];
}

export interface FunctionalRoute extends ClientRoute {
  /** `METHOD /path`, the key under `api.routes`. */
  key: string;
  handler?: TypeSource;
}

export interface ClientModel {
  controllers: ClientController[];
  functional: FunctionalRoute[];
  /** Routes the JSON client cannot call (websockets, SSE, multipart), as `METHOD /path (why)`. */
  skipped: string[];
}

type Loose = Record<string, unknown>;

const parts: Record<string, ClientParam['part']> = { param: 'params', query: 'query', body: 'body', header: 'headers' };
const requestKinds = new Set(['request', 'context']);
const multipartKinds = new Set(['file', 'files', 'form']);

/** `ItemsController` -> `items`, `APIKeysController` -> `apiKeys`. */
export function controllerProperty(className: string): string {
  const base = className.replace(/Controller$/, '') || className;
  const lead = /^[A-Z]+/.exec(base)?.[0] ?? '';
  if (lead.length <= 1) return base.charAt(0).toLowerCase() + base.slice(1);
  // An acronym keeps its last capital when a word follows it: `APIKeys` -> `apiKeys`.
  const cut = lead.length === base.length ? lead.length : lead.length - 1;
  return base.slice(0, cut).toLowerCase() + base.slice(cut);
}

function braces(path: string): string {
  return path.replace(/:([A-Za-z_$][\w$]*)/g, '{$1}').replace(/\*$/, '{*}');
}

function clientRoute(row: Loose): ClientRoute | string {
  const methods = (Array.isArray(row.methods) ? row.methods.map(String) : []).filter((m) => m !== 'HEAD');
  const method = methods[0] ?? 'GET';
  const path = braces(String(row.path ?? '/'));
  const kind = typeof row.kind === 'string' ? row.kind : 'http';
  if (kind !== 'http') return `${method} ${path} (${kind === 'websocket' ? 'a websocket' : 'server-sent events'})`;
  const rowParams = (Array.isArray(row.params) ? row.params : []) as Loose[];
  if (rowParams.some((p) => multipartKinds.has(String(p.kind)))) return `${method} ${path} (multipart: send FormData with fetch)`;
  const params: ClientParam[] = [];
  for (const p of rowParams) {
    const part = parts[String(p.kind)];
    if (part === undefined) continue;
    params.push({ index: Number(p.index), part, ...(typeof p.name === 'string' ? { name: p.name } : {}), isDto: p.isDto === true });
  }
  const options = (row.options ?? {}) as Loose;
  const declared = Array.isArray(options.response) ? options.response[0] : options.response;
  return {
    method,
    path,
    pathNames: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
    params,
    readsRequest: rowParams.some((p) => requestKinds.has(String(p.kind))),
    ...(typeof declared === 'function' ? { response: { type: declared, array: Array.isArray(options.response) } } : {}),
    ...(typeof options.summary === 'string' ? { summary: options.summary } : {}),
  };
}

/**
 * Reads the route table into what the generator needs, and applies the naming rules: one
 * property per controller class (two classes that would share one are an error), one member per
 * route (a method serving several routes gets `2`, `3`, ... on the later ones).
 */
export function buildModel(rows: readonly unknown[]): ClientModel {
  const controllers = new Map<Function, ClientController>();
  const byProperty = new Map<string, Function>();
  const functional: FunctionalRoute[] = [];
  const skipped: string[] = [];
  for (const raw of rows) {
    const row = raw as Loose;
    const route = clientRoute(row);
    if (typeof route === 'string') {
      skipped.push(route);
      continue;
    }
    const controller = row.controller;
    if (typeof controller !== 'function') {
      functional.push({ ...route, key: `${route.method} ${route.path}`, ...(typeof row.handler === 'function' ? { handler: row.handler } : {}) });
      continue;
    }
    let entry = controllers.get(controller);
    if (entry === undefined) {
      const property = controllerProperty(controller.name);
      if (property === 'routes') {
        throw new CliError(`${controller.name} would be api.routes, which holds the functional routes: rename the class.`);
      }
      const other = byProperty.get(property);
      if (other !== undefined) {
        throw new CliError(`${other.name} and ${controller.name} would both be api.${property}: two controller classes need different names (rename one).`);
      }
      byProperty.set(property, controller);
      entry = { property, type: controller, routes: [] };
      controllers.set(controller, entry);
    }
    const propertyKey = String(row.propertyKey);
    const taken = new Set(entry.routes.map((r) => r.member));
    let member = propertyKey;
    for (let n = 2; taken.has(member); n++) member = `${propertyKey}${n}`;
    entry.routes.push({ ...route, member, propertyKey });
  }
  return { controllers: [...controllers.values()], functional, skipped };
}
