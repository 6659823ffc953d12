import { isThenable } from '../http/thenable.js';
import type { ResolvedCheck } from './health-options.js';

export type CheckStatus = 'ok' | 'error' | 'timeout';

/** One check's line in the body of `/health/ready`. */
export interface CheckResult {
  readonly status: CheckStatus;
  /** Milliseconds this probe waited for it. */
  readonly durationMs: number;
}

type Outcome = { ok: true } | { ok: false; error: unknown };

function call(check: ResolvedCheck['check']): Outcome | Promise<Outcome> {
  try {
    const value = check();
    if (!isThenable(value)) return value === false ? { ok: false, error: new Error('the check returned false') } : { ok: true };
    return Promise.resolve(value).then(
      (v) => (v === false ? { ok: false, error: new Error('the check returned false') } : { ok: true }),
      (error: unknown) => ({ ok: false, error }),
    );
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Runs one check for probes. A probe that comes while the previous call is still running joins
 * it instead of starting another, so a hanging dependency does not collect one stuck call per
 * probe; each probe still stops waiting at its own timeout.
 */
export class CheckRunner {
  readonly #check: ResolvedCheck;
  #running: Promise<Outcome> | undefined;

  constructor(check: ResolvedCheck) {
    this.#check = check;
  }

  get name(): string {
    return this.#check.name;
  }

  async run(): Promise<{ result: CheckResult; error?: unknown }> {
    const started = performance.now();
    let outcome = this.#running;
    if (outcome === undefined) {
      const now = call(this.#check.check);
      if (!isThenable(now)) return finish(now, started);
      const running = (this.#running = now);
      void running.then(() => {
        if (this.#running === running) this.#running = undefined;
      });
      outcome = running;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, this.#check.timeoutMs, 'timeout');
      timer.unref();
    });
    try {
      const settled = await Promise.race([outcome, timedOut]);
      if (settled === 'timeout') {
        return { result: { status: 'timeout', durationMs: elapsed(started) }, error: new Error(`the check did not settle within ${this.#check.timeoutMs / 1000} s`) };
      }
      return finish(settled, started);
    } finally {
      clearTimeout(timer);
    }
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function finish(outcome: Outcome, started: number): { result: CheckResult; error?: unknown } {
  return outcome.ok
    ? { result: { status: 'ok', durationMs: elapsed(started) } }
    : { result: { status: 'error', durationMs: elapsed(started) }, error: outcome.error };
}
