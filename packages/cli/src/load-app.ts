import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from './cli-error.js';
import { usedBeforeDeclarationHint } from './load-failure.js';

/** The part of an App that `cello routes` needs; typed structurally so the CLI does not depend on a core version. */
export interface RoutableApp {
  routes(): readonly unknown[];
}

function isRoutable(value: unknown): value is RoutableApp {
  return typeof value === 'object' && value !== null && typeof (value as RoutableApp).routes === 'function';
}

/**
 * Imports an app module and returns its App without starting it: `createApp()` is called,
 * else the `app` or default export is used. Neither listens nor runs startup hooks.
 */
export async function loadApp(entry: string): Promise<RoutableApp> {
  const file = resolve(process.cwd(), entry);
  if (!existsSync(file)) {
    throw new CliError(`${entry} not found: build the project first (npm run build), or pass --entry <file>.`);
  }
  let mod: Record<string, unknown>;
  try {
    // import() loads CommonJS and ESM alike; a CommonJS module's exports are also its `default`.
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    const hint = usedBeforeDeclarationHint(err);
    throw new CliError(`${entry} failed to load: ${firstLine(err)}${hint ? ` ${hint}` : ''}`);
  }
  const fallback = (mod.default ?? {}) as Record<string, unknown>;
  const factory = mod.createApp ?? fallback.createApp;
  if (typeof factory === 'function') {
    const app: unknown = await (factory as () => unknown)();
    if (isRoutable(app)) return app;
    throw new CliError(`createApp() in ${entry} did not return a Cello App: make it return one.`);
  }
  for (const candidate of [mod.app, fallback.app, mod.default]) {
    if (isRoutable(candidate)) return candidate;
  }
  throw new CliError(`${entry} exports no createApp() function and no app: export one of them (see \`cello routes --help\`).`);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}
