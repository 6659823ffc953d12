import { celloError } from '../errors/cello-error.js';
import type { WorkersOption } from '../workers/options.js';
import { isRefusal, type EnvVar } from './env-var.js';
import { int, number, oneOf, string, url, envVarOf } from './var-types.js';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** The variables every Cello app reads, by the AppOptions field they fill. */
const builtins = {
  port: ['PORT', int({ min: 0, max: 65535, default: 3000 })],
  host: ['HOST', string({ default: 'localhost' })],
  logLevel: ['LOG_LEVEL', oneOf(logLevels, { default: 'info' })],
  nodeEnv: ['NODE_ENV', string({ default: 'development' })],
  redisUrl: ['REDIS_URL', url({ protocols: ['redis', 'rediss'], optional: true })],
  databaseUrl: ['DATABASE_URL', url({ optional: true })],
  workers: ['CELLO_WORKERS', envVarOf<WorkersOption | undefined>('a positive integer or auto', { optional: true }, (t) => (t === 'auto' ? 'auto' : /^\d+$/.test(t) && Number(t) >= 1 ? Number(t) : undefined))],
  shutdownTimeout: ['SHUTDOWN_TIMEOUT', number({ min: 0, default: 10 })],
  trustProxy: ['TRUST_PROXY', envVarOf<boolean | string[] | undefined>('true, false, or a comma-separated list of proxy addresses (loopback, uniquelocal, IPs, CIDRs; not a hop count)', { optional: true }, (t) => {
    // Only the words: `1` would read as a hop count, which App refuses (CELLO_ERR_APP_TRUST_PROXY).
    const word = t.trim().toLowerCase();
    if (word === 'true' || word === 'false') return word === 'true';
    const list = t.split(',').map((s) => s.trim()).filter(Boolean);
    return list.length > 0 && !list.some((s) => /^\d+$/.test(s)) ? list : undefined;
  })],
} as const;

type BuiltinValues = { readonly [K in keyof typeof builtins]: (typeof builtins)[K][1] extends EnvVar<infer T> ? T : never };

/** The values of the app's own variables, typed by their `Config.*()` declarations. */
export type ExtraValues<E> = { readonly [K in keyof E]: E[K] extends EnvVar<infer T> ? T : never };

/**
 * What `Config.fromEnv()` returns: frozen, with field names of `AppOptions`, so it spreads into
 * `new App({ ...config, controllers })`.
 */
export type EnvConfig<E = {}> = BuiltinValues & { readonly extra: ExtraValues<E> };

export interface FromEnvOptions<E extends Record<string, EnvVar<unknown>>> {
  /** The variables to read (default `process.env`); tests pass their own. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The app's own variables, by name: `{ API_KEY: Config.string({ secret: true }) }`. */
  extra?: E;
}

// Passwords travel in URLs: an invalid one is shown without its user:password part.
function shown(name: string, text: string, variable: EnvVar<unknown>): string {
  if (variable.secret) return `a value of ${text.length} characters (hidden)`;
  const safe = /_URL$/.test(name) ? text.replace(/\/\/[^/@]*@/, '//***@') : text;
  return JSON.stringify(safe);
}

function problem(name: string, text: string | undefined, variable: EnvVar<unknown>): string {
  if (text === undefined || text === '') return `${name} must be set: ${variable.expected}`;
  return `${name} must be ${variable.expected}, got ${shown(name, text, variable)}`;
}

/**
 * Reads the environment into a typed, validated, frozen object. Every variable is checked
 * before anything is thrown, so one error lists every bad variable (CELLO_ERR_CONFIG_INVALID).
 * An empty variable counts as unset.
 */
export function fromEnv<E extends Record<string, EnvVar<unknown>> = {}>(options: FromEnvOptions<E> = {}): EnvConfig<E> {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const read = (name: string, variable: EnvVar<unknown>): unknown => {
    const text = env[name];
    const value = variable.read(text);
    if (isRefusal(value)) {
      problems.push(problem(name, text, variable));
      return undefined;
    }
    return value;
  };
  const config: Record<string, unknown> = {};
  for (const [field, [name, variable]] of Object.entries(builtins)) config[field] = read(name, variable as EnvVar<unknown>);
  const extra: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(options.extra ?? {})) {
    if (variable === null || typeof variable !== 'object' || typeof (variable as EnvVar<unknown>).read !== 'function') {
      problems.push(`${name} is declared with ${String(variable)}; declare it with Config.string(), Config.int(), ...`);
      continue;
    }
    extra[name] = read(name, variable);
  }
  if (problems.length > 0) throw celloError('CELLO_ERR_CONFIG_INVALID', [problems.length, problems.map((p) => `  ${p}`).join('\n')]);
  config.extra = Object.freeze(extra);
  if (Array.isArray(config.trustProxy)) Object.freeze(config.trustProxy);
  return Object.freeze(config) as EnvConfig<E>;
}
