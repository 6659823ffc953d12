import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest, RouteOptions as FastifyRouteOptions } from 'fastify';
import type { WebSocket as Ws, WebSocketServer } from 'ws';

/** A `@WebSocket` route as fastify gets it. */
export type WebSocketFastifyRoute = Omit<FastifyRouteOptions, 'handler' | 'wsHandler'> & {
  handler: (socket: Ws, request: FastifyRequest) => void;
};

export interface WebSocketMountOptions {
  /** The largest limit of any route: what the parser enforces (routes with a smaller one check per message). */
  readonly maxPayload: number;
  /** How long close() lets clients answer the 1001 before their sockets are cut, in ms. */
  readonly closeTimeoutMs: number;
}

const GOING_AWAY = 1001;

/**
 * Mounts the WebSocket routes with @fastify/websocket, inside their own fastify context: the
 * plugin's request hooks then run for these routes only, so HTTP routes pay nothing for them
 * (and the cache's fast path stays available).
 */
export function mountWebSocketRoutes(fastify: FastifyInstance, routes: readonly WebSocketFastifyRoute[], options: WebSocketMountOptions): void {
  void fastify.register(async (scope) => {
    await scope.register(fastifyWebsocket, {
      options: { maxPayload: options.maxPayload },
      // Protocol errors (a frame over the limit: ws already closes with 1009) belong to the client.
      errorHandler(error: Error, socket: Ws, request: FastifyRequest) {
        request.log.info({ err: error }, `WebSocket ${request.url.split('?')[0]} closed on a protocol error: ${error.message}`);
        if (socket.readyState === 1) socket.terminate();
      },
      // app.close(): every client gets 1001 Going Away, and its handler ends with its loop;
      // clients that do not answer the close handshake are cut when the shutdown time is up.
      preClose(this: FastifyInstance & { websocketServer: WebSocketServer }, done: () => void) {
        const clients = [...this.websocketServer.clients];
        for (const client of clients) client.close(GOING_AWAY, 'Server shutting down');
        if (clients.length > 0) {
          setTimeout(() => {
            for (const client of clients) if (client.readyState !== 3) client.terminate();
          }, options.closeTimeoutMs).unref();
        }
        this.websocketServer.close();
        done();
      },
    });
    for (const route of routes) scope.route({ ...route, websocket: true } as unknown as FastifyRouteOptions);
  });
}
