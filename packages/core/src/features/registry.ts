import type { FastifyBaseLogger, FastifyReply, FastifyRequest, onRequestAbortHookHandler, onRequestHookHandler, onResponseHookHandler, onSendHookHandler } from 'fastify';
import type { App } from '../app.js';
import type { RouteInfo } from '../routing/route-info.js';
import type { Feature } from './feature.js';

/** The hooks of every feature for one route, in order, as fastify route options. */
export interface CollectedHooks {
  onRequest?: onRequestHookHandler[];
  onSend?: onSendHookHandler[];
  onResponse?: onResponseHookHandler[];
  onRequestAbort?: onRequestAbortHookHandler[];
}

/** An app's features, kept in their order. */
export class FeatureRegistry {
  readonly #byName = new Map<string, Feature>();
  #ordered: Feature[] = [];

  /** Adds a feature; one of the same name is replaced. */
  add(feature: Feature): void {
    this.#byName.set(feature.name, feature);
    // Stable: features of equal order keep the order they were enabled in.
    this.#ordered = [...this.#byName.values()].sort((a, b) => a.order - b.order);
  }

  get(name: string): Feature | undefined {
    return this.#byName.get(name);
  }

  /** Whether the feature `name` is enabled and applies to `route`. */
  applies(name: string, route: RouteInfo): boolean {
    return (this.#byName.get(name)?.forRoute(route) ?? null) !== null;
  }

  hooksFor(route: RouteInfo): CollectedHooks {
    const onRequest: onRequestHookHandler[] = [];
    const onSend: onSendHookHandler[] = [];
    const onResponse: onResponseHookHandler[] = [];
    const onRequestAbort: onRequestAbortHookHandler[] = [];
    for (const feature of this.#ordered) {
      const hooks = feature.forRoute(route);
      if (hooks === null) continue;
      if (hooks.onRequest) onRequest.push(hooks.onRequest);
      if (hooks.onSend) onSend.push(hooks.onSend);
      if (hooks.onResponse) onResponse.push(hooks.onResponse);
      if (hooks.onRequestAbort) onRequestAbort.push(hooks.onRequestAbort);
    }
    return {
      ...(onRequest.length ? { onRequest } : {}),
      ...(onSend.length ? { onSend } : {}),
      ...(onResponse.length ? { onResponse } : {}),
      ...(onRequestAbort.length ? { onRequestAbort } : {}),
    };
  }

  /** Whether every feature lets a cache hit on `route` be answered before fastify runs. */
  allowsFastPath(route: RouteInfo): boolean {
    return this.#ordered.every((f) => (f.allowsFastPath ? f.allowsFastPath(route) : f.forRoute(route) === null));
  }

  /** 404/405/preflight answers: each feature in order, until one ends the reply. */
  unmatched(request: FastifyRequest, reply: FastifyReply, allowed: readonly string[]): void {
    for (const feature of this.#ordered) {
      feature.onUnmatched?.(request, reply, allowed);
      if (reply.sent) return;
    }
  }

  async start(app: App): Promise<void> {
    for (const feature of this.#ordered) await feature.onStart?.(app);
  }

  /** Closes every feature, last first; a failure is logged and the rest still close. */
  async close(log: FastifyBaseLogger): Promise<void> {
    for (const feature of [...this.#ordered].reverse()) {
      try {
        await feature.onClose?.();
      } catch (err) {
        log.error({ err, code: 'CELLO_ERR_LIFECYCLE_SHUTDOWN_FAILED' }, `closing ${feature.name} failed`);
      }
    }
  }
}
