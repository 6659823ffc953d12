import { importSpecifier, type TypeImport } from './locate-types.js';
import type { ClientModel, ClientParam, ClientRoute, TypeSource } from './model.js';
import { runtimeSource } from './runtime.js';
import { typeHelpersSource } from './type-helpers.js';

export interface RenderOptions {
  out: string;
  /** Shown in the header: how to regenerate. */
  command: string;
  /** Where each referenced type comes from; a value without one is typed `unknown`. */
  imports: ReadonlyMap<TypeSource, TypeImport>;
}

const identifier = /^[A-Za-z_$][\w$]*$/;

function key(name: string): string {
  return identifier.test(name) ? name : literal(name);
}

function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Gives every imported value one local name (a class name, numbered when two share it). */
class ImportNames {
  readonly #local = new Map<TypeSource, string>();
  readonly #used = new Set<string>();

  constructor(private readonly imports: ReadonlyMap<TypeSource, TypeImport>, private readonly out: string) {}

  name(value: TypeSource): string | undefined {
    const known = this.#local.get(value);
    if (known !== undefined) return known;
    const found = this.imports.get(value);
    if (found === undefined) return undefined;
    let local = found.exportName;
    for (let n = 2; this.#used.has(local); n++) local = `${found.exportName}_${n}`;
    this.#used.add(local);
    this.#local.set(value, local);
    return local;
  }

  render(): string {
    const bySpecifier = new Map<string, string[]>();
    for (const [value, local] of this.#local) {
      const found = this.imports.get(value)!;
      const specifier = importSpecifier(this.out, found.source);
      const entry = found.exportName === local ? local : `${found.exportName} as ${local}`;
      bySpecifier.set(specifier, [...(bySpecifier.get(specifier) ?? []), entry]);
    }
    return [...bySpecifier.keys()].sort()
      .map((s) => `import type { ${bySpecifier.get(s)!.sort().join(', ')} } from ${literal(s)};`)
      .join('\n');
  }
}

/** `{ a: A; b: B }` from entries, or undefined when there are none. */
function objectType(entries: readonly [string, string][]): string | undefined {
  return entries.length === 0 ? undefined : `{ ${entries.map(([k, t]) => `${key(k)}: ${t}`).join('; ')} }`;
}

function intersect(types: readonly (string | undefined)[]): string | undefined {
  const present = types.filter((t): t is string => t !== undefined);
  return present.length === 0 ? undefined : present.join(' & ');
}

/** The input type of a route: its `params`, `query`, `body` and `headers`, from the declared types. */
function inputType(route: ClientRoute, arg: ((index: number) => string) | null): string {
  const of = (part: ClientParam['part']) => route.params.filter((p) => p.part === part);
  const fields = (part: ClientParam['part'], wrap: (t: string) => string) =>
    arg === null ? [] : of(part).filter((p) => p.name !== undefined).map((p): [string, string] => [p.name!, wrap(arg(p.index))]);
  const wholes = (part: ClientParam['part']) =>
    arg === null ? [] : of(part).filter((p) => p.name === undefined).map((p) => (p.isDto ? `Sent<${arg(p.index)}>` : arg(p.index)));
  const parts: [string, string][] = [];

  const named = new Map(fields('params', (t) => `PathValue<${t}>`));
  const wholeParams = wholes('params');
  const pathEntries = route.pathNames
    .filter((n) => named.has(n) || wholeParams.length === 0)
    .map((n): [string, string] => [n, named.get(n) ?? 'string | number']);
  const params = intersect([objectType(pathEntries), ...wholeParams]);
  if (params !== undefined) parts.push(['params', params]);

  const queryFields = objectType(fields('query', (t) => t));
  const query = intersect([queryFields && `Compact<${queryFields}>`, ...wholes('query')]);
  // A handler that reads the raw request may read any query key.
  if (query !== undefined) parts.push(['query', query]);
  else if (arg === null || route.readsRequest) parts.push(['query', 'QueryValues | undefined']);

  const bodyFields = objectType(fields('body', (t) => `Sent<${t}>`));
  const body = intersect([bodyFields && `Compact<${bodyFields}>`, ...wholes('body')]);
  if (body !== undefined) parts.push(['body', body]);
  else if ((arg === null || route.readsRequest) && route.method !== 'GET' && route.method !== 'DELETE') parts.push(['body', 'unknown']);

  const headerFields = objectType(fields('headers', (t) => t));
  const headers = intersect([headerFields && `Compact<${headerFields}>`, ...wholes('headers')]);
  if (headers !== undefined) parts.push(['headers', `${headers} & HeaderValues`]);

  return objectType(parts) ?? '{}';
}

function declaredBody(route: ClientRoute, names: ImportNames): string | undefined {
  if (route.response === undefined) return undefined;
  const name = names.name(route.response.type);
  if (name === undefined) return undefined;
  return route.response.array ? `Received<${name}>[]` : `Received<${name}>`;
}

function doc(route: ClientRoute, indent: string): string {
  const summary = route.summary === undefined ? '' : `: ${route.summary.replace(/\*\//g, '*\\/')}`;
  return `${indent}/** ${route.method} ${route.path}${summary} */\n`;
}

function call(route: ClientRoute, result: string, input: string): string {
  return `(...args: Args<${input}>) => call<${result}>(${literal(route.method)}, ${literal(route.path)}, args[0])`;
}

function controllersSource(model: ClientModel, names: ImportNames): string {
  return model.controllers.map((c) => {
    const cls = names.name(c.type)!;
    const members = c.routes.map((r) => {
      const k = literal(r.propertyKey);
      const arg = (i: number) => `Arg<${cls}, ${k}, ${i}>`;
      const declared = declaredBody(r, names);
      const result = `Out<${cls}, ${k}${declared === undefined ? '' : `, ${declared}`}>`;
      return `${doc(r, '      ')}      ${key(r.member)}: ${call(r, result, inputType(r, arg))},`;
    });
    return `    ${key(c.property)}: {\n${members.join('\n')}\n    },`;
  }).join('\n');
}

function functionalSource(model: ClientModel, names: ImportNames): string {
  const members = model.functional.map((r) => {
    const handler = r.handler === undefined ? undefined : names.name(r.handler);
    const declared = declaredBody(r, names);
    const result = handler === undefined ? (declared ?? 'unknown') : `FnOut<typeof ${handler}${declared === undefined ? '' : `, ${declared}`}>`;
    return `${doc(r, '      ')}      ${literal(r.key)}: ${call(r, result, inputType(r, null))},`;
  });
  return members.length === 0 ? '    routes: {},' : `    routes: {\n${members.join('\n')}\n    },`;
}

/** The whole generated file: header, type imports, runtime, helper types, `createClient`. */
export function renderClient(model: ClientModel, options: RenderOptions): string {
  const names = new ImportNames(options.imports, options.out);
  // Rendered first so that every name they use is known to the imports.
  const controllers = controllersSource(model, names);
  const functional = functionalSource(model, names);
  const skipped = model.skipped.length === 0 ? '' : `\n * Not in this client: ${model.skipped.join(', ')}.`;
  return `/**
 * A typed client for this app's HTTP routes, generated by \`cello client\` from its route table.
 * Do not edit: regenerate with \`${options.command}\` after changing routes.
 * Types come from the server's own code (\`import type\` only); nothing else is imported.${skipped}
 */
${names.render()}

${runtimeSource()}
${typeHelpersSource()}
/**
 * The client: \`api.<controller>.<method>(input)\` per controller route, \`api.routes['METHOD /path'](input)\`
 * per functional route. A non-2xx answer throws CelloClientError.
 */
export function createClient(baseUrl: string, options: ClientOptions = {}) {
  const call = caller(baseUrl, options);
  return {
${controllers}
${functional}
  };
}

export type Client = ReturnType<typeof createClient>;
`;
}
