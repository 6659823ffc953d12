import type { ParamKindSpec } from './param-kind.js';

/** `@Inject(token) x`: a value from the container. */
export const injectParam: ParamKindSpec = {
  kind: 'inject',
  bind(p, runtime) {
    const token = p.token as never;
    // Resolved per request so transient services stay transient; a request that created a
    // child container (dependencies) resolves through it.
    return { bind: (ctx) => (ctx === null ? runtime.container.resolve(token) : ctx.inject(token)), isAsync: false, needsContext: false };
  },
};
