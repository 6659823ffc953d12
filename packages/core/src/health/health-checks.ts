import type { FastifyBaseLogger } from 'fastify';
import { featureOrder, type Feature } from '../features/feature.js';
import { Response } from '../http/response.js';
import type { RouteOptions } from '../metadata/types.js';
import type { RouteHandler } from '../app.js';
import { resolveHealthOptions, type HealthOptions } from './health-options.js';
import { CheckRunner, type CheckResult } from './run-check.js';

/** Where the app is in its life, as the health routes see it. */
export type AppPhase = 'configuring' | 'starting' | 'started' | 'closing' | 'closed';

/** The body of every health route. */
export interface HealthBody {
  /** `ok`; `error` (a check failed); `starting`; `shutting_down` (close() has begun). */
  status: 'ok' | 'error' | 'starting' | 'shutting_down';
  /** `/health/ready` only: each check by name. */
  checks?: Record<string, CheckResult>;
}

interface HealthHost {
  get(path: string, handler: RouteHandler, options?: RouteOptions): unknown;
  readonly log: FastifyBaseLogger;
}

// Probes must see now, not a cached answer from before a failure.
const headers = { 'cache-control': 'no-store' };

function answer(body: HealthBody, status: number): Response {
  return Response.json(body, { status, headers });
}

/**
 * `/live`, `/ready` and `/startup` under one prefix. They are plain routes (listed by
 * `app.routes()` and `cello routes`) that skip JWT, rate limits and circuit breakers, and are
 * left out of the OpenAPI document unless `includeInDocs` says otherwise. The feature adds no
 * hook to any route.
 */
export class HealthChecks implements Feature {
  readonly name = 'health';
  readonly order = featureOrder.health;
  readonly #runners: readonly CheckRunner[];
  readonly #phase: () => AppPhase;
  readonly #log: FastifyBaseLogger;
  // Failures are logged when a check starts failing, not on every probe.
  readonly #failing = new Set<string>();

  constructor(app: HealthHost, options: HealthOptions, phase: () => AppPhase) {
    const resolved = resolveHealthOptions(options);
    this.#runners = resolved.checks.map((c) => new CheckRunner(c));
    this.#phase = phase;
    this.#log = app.log;
    const routeOptions: RouteOptions = { public: true, rateLimit: false, circuitBreaker: false, includeInDocs: resolved.includeInDocs, tags: ['health'] };
    app.get(`${resolved.path}/live`, () => answer({ status: 'ok' }, 200), { ...routeOptions, summary: 'Liveness: the process is up' });
    app.get(`${resolved.path}/startup`, () => this.#startup(), { ...routeOptions, summary: 'Startup: startup hooks have run' });
    app.get(`${resolved.path}/ready`, () => this.#ready(), { ...routeOptions, summary: 'Readiness: started, not shutting down, every check passing' });
  }

  forRoute(): null {
    return null;
  }

  #startup(): Response {
    const phase = this.#phase();
    return phase === 'configuring' || phase === 'starting' ? answer({ status: 'starting' }, 503) : answer({ status: 'ok' }, 200);
  }

  async #ready(): Promise<Response> {
    const phase = this.#phase();
    if (phase === 'configuring' || phase === 'starting') return answer({ status: 'starting' }, 503);
    if (phase !== 'started') return answer({ status: 'shutting_down' }, 503);
    const outcomes = await Promise.all(this.#runners.map((r) => r.run()));
    const checks: Record<string, CheckResult> = {};
    let ok = true;
    for (let i = 0; i < outcomes.length; i++) {
      const name = this.#runners[i]!.name;
      const { result, error } = outcomes[i]!;
      checks[name] = result;
      if (result.status === 'ok') {
        if (this.#failing.delete(name)) this.#log.info({ check: name }, `health check ${name} passes again`);
        continue;
      }
      ok = false;
      if (!this.#failing.has(name)) {
        this.#failing.add(name);
        const code = result.status === 'timeout' ? 'CELLO_ERR_HEALTH_CHECK_TIMEOUT' : 'CELLO_ERR_HEALTH_CHECK_FAILED';
        this.#log.warn({ err: error, code, check: name }, `health check ${name} failed: ${(error as Error)?.message ?? String(error)}`);
      }
    }
    // A shutdown that began while the checks ran wins: the balancer must stop sending.
    if (this.#phase() !== 'started') return answer({ status: 'shutting_down', checks }, 503);
    return answer({ status: ok ? 'ok' : 'error', checks }, ok ? 200 : 503);
  }
}
