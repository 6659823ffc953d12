import type { RequestContext } from '../di/request-context.js';
import type { Constructor } from '../metadata/types.js';

/**
 * Decides whether a request may reach its handler: `false` answers 403; throwing an HttpError
 * answers with it. Runs after authentication and before the body is read, so a refused client
 * costs no upload and no parse; a guard that needs the body sets `readsBody = true` and runs
 * once it is parsed.
 *
 * @example
 * class ApiKeyGuard implements Guard {
 *   canActivate(ctx: RequestContext) { return ctx.request.header('x-api-key') === process.env.API_KEY; }
 * }
 */
export interface Guard {
  canActivate(ctx: RequestContext): boolean | Promise<boolean>;
  /** The guard reads the body (`ctx.request.text()`, a signature check): it runs after parsing. */
  readonly readsBody?: boolean;
}

/** A guard instance, or a guard class resolved from the app's container (so it can inject services). */
export type GuardLike = Guard | Constructor<Guard>;

export function guardName(guard: GuardLike): string {
  return typeof guard === 'function' ? guard.name : guard.constructor.name;
}
