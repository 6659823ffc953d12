// Cello's target with features switched on, so the instruction counts can show what a feature
// costs on the same routes: CELLO_BENCH_FEATURES=a,b npm run bench:instr -- --targets cello --no-write
import type { App, AppOptions } from '@cello/core';

interface Variant {
  /** Added to the App's constructor options. */
  options?: Partial<AppOptions>;
  /** Called on the app before listen(). */
  enable?(app: App): void;
}

/** One entry per feature a session wants counted; the name is what CELLO_BENCH_FEATURES lists. */
const variants: Record<string, Variant> = {
  // A per-route circuit breaker on every route (issue 16): one onRequest hook and a 'close' listener per request.
  breaker: { enable: (app) => app.enableCircuitBreaker() },
  // Health routes only add routes: the bench's routes should cost the same as without.
  health: { enable: (app) => app.enableHealthChecks() },
  // Every route runs in an AsyncLocalStorage (RequestContext.current(), reqId on app.log lines).
  context: { options: { requestContext: true } },
  // The bench runs with NODE_ENV=production, where blocking detection is off unless enabled.
  blocking: { enable: (app) => app.enableBlockingDetection({ thresholdMs: 50 }) },
  // Issue 16: at most 15% over plain hello.
  metrics: { enable: (app) => app.enablePrometheus() },
  // Issue 16: no SDK registered here, so within 3% of plain hello.
  tracing: { enable: (app) => app.enableTracing() },
};

function chosen(): Variant[] {
  const names = (process.env.CELLO_BENCH_FEATURES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return names.map((name) => {
    const variant = variants[name];
    if (!variant) throw new Error(`CELLO_BENCH_FEATURES: unknown "${name}" (known: ${Object.keys(variants).join(', ') || 'none'})`);
    return variant;
  });
}

export const benchVariants = chosen();

export function variantOptions(): Partial<AppOptions> {
  return Object.assign({}, ...benchVariants.map((v) => v.options ?? {}));
}

export function enableVariants(app: App): void {
  for (const v of benchVariants) v.enable?.(app);
}
