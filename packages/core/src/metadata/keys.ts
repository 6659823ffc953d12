// Metadata lives under Symbols: the reflect-metadata registry is global per target, so string
// keys could collide with another library's.
export const kController = Symbol('cello.controller');
export const kRoutes = Symbol('cello.routes');
export const kParams = Symbol('cello.params');
export const kGuards = Symbol('cello.guards');
export const kRouteFlags = Symbol('cello.routeFlags');
