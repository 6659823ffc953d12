import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { locateType, type TypeImport } from '../client/locate-types.js';
import { buildModel } from '../client/model.js';
import { renderClient } from '../client/render.js';
import { loadApp, type RoutableApp } from '../load-app.js';

interface ClientOptions {
  entry: string;
  out?: string;
  openapi?: string;
  check?: boolean;
}

interface DocumentedApp extends RoutableApp {
  openApiDocument?(): unknown;
}

/** Writes `text` to `file`, or with `check` compares it with what is there. */
function emit(file: string, text: string, check: boolean, regenerate: string): string {
  const path = resolve(process.cwd(), file);
  if (check) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (current !== text) throw new CliError(`${file} is ${current === null ? 'missing' : 'out of date'}: run \`${regenerate}\`.`);
    return `${file} is up to date`;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return `wrote ${file}`;
}

/**
 * The functional routes the OpenAPI document lists, as `METHOD /path`: the docs' own routes
 * (`/openapi.json`, the page and its assets) are not part of the API and stay out of the client.
 */
function documentedRoutes(app: DocumentedApp): Set<string> | null {
  if (typeof app.openApiDocument !== 'function') return null;
  const paths = (app.openApiDocument() as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  return new Set(Object.entries(paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace(/\*$/, '{*}')}`)));
}

function clientSource(app: DocumentedApp, out: string, command: string, root: string): string {
  const model = buildModel(app.routes());
  const documented = documentedRoutes(app);
  if (documented !== null) model.functional = model.functional.filter((r) => documented.has(r.key));
  const imports = new Map<Function, TypeImport>();
  for (const controller of model.controllers) {
    const found = locateType(controller.type, root);
    if (typeof found === 'string') throw new CliError(`${found}.`);
    imports.set(controller.type, found);
  }
  // Declared response DTOs and functional handlers are typed where they can be found, else `unknown`.
  const optional = [
    ...[...model.controllers.flatMap((c) => c.routes), ...model.functional].flatMap((r) => (r.response ? [r.response.type] : [])),
    ...model.functional.flatMap((r) => (r.handler ? [r.handler] : [])),
  ];
  for (const value of optional) {
    const found = locateType(value, root);
    if (typeof found !== 'string') imports.set(value, found);
  }
  return renderClient(model, { out: resolve(process.cwd(), out), command, imports });
}

export function clientCommand(): Command {
  return new Command('client')
    .description('write a typed TypeScript client (--out) or the OpenAPI document (--openapi) of the built app')
    .option('--entry <file>', 'the module that exports createApp() or app (or an App as default)', 'dist/app.js')
    .option('--out <file>', 'the client to write, e.g. src/api-client.ts')
    .option('--openapi <file>', 'the OpenAPI document to write (what /openapi.json serves)')
    .option('--check', 'write nothing: fail when the files differ from what would be written (for CI)')
    .addHelpText('after', `
The app is built but never started: no port is opened and no startup hook runs.
Build first (npm run build): the route table is read from the compiled JavaScript, and the
client's types are imported (import type) from the TypeScript sources next to it.`)
    .action(async (options: ClientOptions) => {
      if (options.out === undefined && options.openapi === undefined) {
        throw new CliError('nothing to write: pass --out <file> for the client and/or --openapi <file> for the OpenAPI document.');
      }
      const app = (await loadApp(options.entry)) as DocumentedApp;
      const entryFlag = options.entry === 'dist/app.js' ? '' : ` --entry ${options.entry}`;
      const lines: string[] = [];
      if (options.out !== undefined) {
        const out = relative(process.cwd(), resolve(process.cwd(), options.out)).split(sep).join('/');
        const command = `cello client${entryFlag} --out ${out}`;
        lines.push(emit(options.out, clientSource(app, options.out, command, dirname(resolve(process.cwd(), options.entry))), options.check === true, command));
      }
      if (options.openapi !== undefined) {
        if (typeof app.openApiDocument !== 'function') {
          throw new CliError(`${options.entry}'s App has no openApiDocument(): upgrade @cello/core.`);
        }
        const text = `${JSON.stringify(app.openApiDocument(), null, 2)}\n`;
        lines.push(emit(options.openapi, text, options.check === true, `cello client${entryFlag} --openapi ${options.openapi}`));
      }
      // Exits explicitly: an app module may hold handles (a pool, a timer) that would keep it alive.
      process.stdout.write(`${lines.join('\n')}\n`, () => process.exit(0));
    });
}
