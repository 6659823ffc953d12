// Internal slots of RequestContext. Symbol keys rather than #private fields: a dependency gets a
// view of the context made with Object.create (carrying its resolution chain), and #private
// fields do not work through a prototype. Not exported from the package.
export const kRoot: unique symbol = Symbol('cello.ctx.root');
export const kChain: unique symbol = Symbol('cello.ctx.chain');
export const kRuntime: unique symbol = Symbol('cello.ctx.runtime');
export const kScope: unique symbol = Symbol('cello.ctx.scope');
export const kContainer: unique symbol = Symbol('cello.ctx.container');
export const kBackground: unique symbol = Symbol('cello.ctx.background');
export const kAfter: unique symbol = Symbol('cello.ctx.after');
