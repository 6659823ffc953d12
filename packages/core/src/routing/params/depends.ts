import type { Dependency, DependsOptions } from '../../di/dependency.js';
import type { ParamKindSpec } from './param-kind.js';

/** `@Depends(fn) x`: the value of a dependency, resolved once per request. */
export const dependsParam: ParamKindSpec = {
  kind: 'depends',
  bind(p) {
    const dep = p.token as Dependency;
    const options = (p.options ?? {}) as DependsOptions;
    return { bind: (ctx) => ctx!.resolve(dep, options), isAsync: true, needsContext: true };
  },
};
