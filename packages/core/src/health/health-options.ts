import { celloError } from '../errors/cello-error.js';
import { joinPath } from '../routing/path.js';

/**
 * A readiness check: passes when it returns or resolves (to anything but `false`); fails when
 * it throws, rejects, returns `false` or does not settle within its timeout.
 */
export type HealthCheck = () => unknown;

/** A check with its own timeout. */
export interface HealthCheckSpec {
  check: HealthCheck;
  /** Seconds (default: the `timeout` of `enableHealthChecks`). */
  timeout?: number;
}

export interface HealthOptions {
  /** Prefix of the three routes (default `/health`: `/health/live`, `/health/ready`, `/health/startup`). */
  path?: string;
  /** Checks `/health/ready` runs, in parallel, by name. */
  checks?: Record<string, HealthCheck | HealthCheckSpec>;
  /** Seconds a check may take before it counts as failed (default 5). */
  timeout?: number;
  /** List the health routes in the OpenAPI document (default false: they are for the platform, not API clients). */
  includeInDocs?: boolean;
}

export interface ResolvedCheck {
  readonly name: string;
  readonly check: HealthCheck;
  readonly timeoutMs: number;
}

export interface ResolvedHealthOptions {
  readonly path: string;
  readonly checks: readonly ResolvedCheck[];
  readonly includeInDocs: boolean;
}

function seconds(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw celloError('CELLO_ERR_HEALTH_CONFIG', [`${what} must be a positive number of seconds, got ${String(value)}`]);
  }
  return value * 1000;
}

export function resolveHealthOptions(options: HealthOptions): ResolvedHealthOptions {
  if (options === null || typeof options !== 'object') throw celloError('CELLO_ERR_HEALTH_CONFIG', ['enableHealthChecks() takes an options object, e.g. { checks: { db: () => pool.query("select 1") } }']);
  const timeoutMs = options.timeout === undefined ? 5000 : seconds(options.timeout, 'timeout');
  const checks: ResolvedCheck[] = [];
  for (const [name, entry] of Object.entries(options.checks ?? {})) {
    if (typeof entry === 'function') {
      checks.push({ name, check: entry, timeoutMs });
    } else if (entry !== null && typeof entry === 'object' && typeof entry.check === 'function') {
      checks.push({ name, check: entry.check, timeoutMs: entry.timeout === undefined ? timeoutMs : seconds(entry.timeout, `checks.${name}.timeout`) });
    } else {
      throw celloError('CELLO_ERR_HEALTH_CONFIG', [`checks.${name} must be a function or { check, timeout }, got ${entry === null ? 'null' : typeof entry}`]);
    }
  }
  return {
    path: joinPath('', options.path ?? '/health', 'enableHealthChecks()'),
    checks,
    includeInDocs: options.includeInDocs === true,
  };
}
