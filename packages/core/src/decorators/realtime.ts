import { celloError } from '../errors/cello-error.js';
import { defineRoute } from '../metadata/route-meta.js';
import type { RouteKind, RouteOptions } from '../metadata/types.js';
import { checkHeartbeat, checkMaxPayload } from '../realtime/realtime-options.js';

/** Options of `@WebSocket(path, options)`. */
export interface WebSocketRouteOptions extends Pick<RouteOptions, 'guards' | 'summary' | 'description' | 'tags' | 'deprecated' | 'public' | 'rateLimit'> {
  /** The largest message accepted, in bytes; a bigger one closes the socket with 1009 (default: the app's `websocket.maxPayload`). */
  maxPayload?: number;
}

/** Options of `@Sse(path, options)`. */
export interface SseRouteOptions extends Pick<RouteOptions, 'guards' | 'summary' | 'description' | 'tags' | 'deprecated' | 'public' | 'rateLimit'> {
  /** Seconds without an event before a heartbeat comment is sent, or `false` for none (default: the app's `sse.heartbeat`). */
  heartbeat?: number | false;
}

function checkOptions(label: string, options: WebSocketRouteOptions & SseRouteOptions, site: Error): void {
  if (options.maxPayload !== undefined) checkMaxPayload(options.maxPayload, label, site);
  if (options.heartbeat !== undefined) checkHeartbeat(options.heartbeat, label, site);
}

function realtimeDecorator(kind: Exclude<RouteKind, 'http'>, name: string) {
  return (path = '/', options: WebSocketRouteOptions & SseRouteOptions = {}): MethodDecorator => {
    const site = new Error(`@${name} declared here`);
    checkOptions(`@${name}('${path}')`, options, site);
    return (target, propertyKey, descriptor) => {
      if (typeof propertyKey !== 'string' || typeof descriptor.value !== 'function') {
        throw celloError('CELLO_ERR_ROUTE_NOT_A_METHOD', [target.constructor.name, String(propertyKey)]);
      }
      defineRoute(target, { kind, methods: ['GET'], path, propertyKey, options: { ...options }, site });
    };
  };
}

/**
 * A WebSocket endpoint: guards and `@Depends` run on the upgrade request (a refusal answers
 * 401/403 before the handshake), then the method gets the open socket. The connection lives as
 * long as the method runs; dependencies are cleaned up once the socket has closed.
 *
 * @example
 * @WebSocket('/ws/chat')
 * async chat(socket: WebSocketConnection, @Depends(getCurrentUser) user: User) {
 *   for await (const msg of socket) socket.sendJson({ from: user.name, text: msg.text() });
 * }
 */
export const WebSocket: (path?: string, options?: WebSocketRouteOptions) => MethodDecorator = realtimeDecorator('websocket', 'WebSocket');

/**
 * A server-sent events endpoint (GET): the method is an async generator and each value it
 * yields is one event, sent as soon as it is produced. Its `finally` runs when the client goes away.
 *
 * @example
 * @Sse('/events')
 * async *events(req: Request) {
 *   for await (const order of this.orders.watch()) yield { event: 'order', id: String(order.id), data: order };
 * }
 */
export const Sse: (path?: string, options?: SseRouteOptions) => MethodDecorator = realtimeDecorator('sse', 'Sse');
