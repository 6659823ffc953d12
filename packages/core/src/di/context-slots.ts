// Internal slots of RequestContext. Symbol keys rather than #private fields: the compiled route
// and the after-response functions beside the class read them, which #private fields would not
// allow outside the class body. Not exported from the package.
export const kRoot: unique symbol = Symbol('cello.ctx.root');
export const kChain: unique symbol = Symbol('cello.ctx.chain');
export const kRuntime: unique symbol = Symbol('cello.ctx.runtime');
export const kScope: unique symbol = Symbol('cello.ctx.scope');
export const kContainer: unique symbol = Symbol('cello.ctx.container');
export const kBackground: unique symbol = Symbol('cello.ctx.background');
export const kAfter: unique symbol = Symbol('cello.ctx.after');
