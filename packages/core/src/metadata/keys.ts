// Metadata lives under Symbols: the reflect-metadata registry is global per target, so string
// keys could collide with another library's.
export const kController = Symbol('cello.controller');
export const kRoutes = Symbol('cello.routes');
export const kParams = Symbol('cello.params');
export const kGuards = Symbol('cello.guards');
export const kCache = Symbol('cello.cache');
export const kRateLimit = Symbol('cello.rateLimit');
export const kPublic = Symbol('cello.public');
export const kInvalidateCache = Symbol('cello.invalidateCache');
