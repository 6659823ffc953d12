import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { WebSocket as Ws } from 'ws';
import type { AppRuntime } from '../app-runtime.js';
import { celloError } from '../errors/cello-error.js';
import { Exchange } from '../exchange/exchange.js';
import { socketEnd } from '../exchange/end-signal.js';
import { checkGuards } from '../guards/run-guards.js';
import type { Guard } from '../guards/guard.js';
import { HttpError } from '../http/http-error.js';
import { isThenable } from '../http/thenable.js';
import { paramKinds } from '../routing/params/kinds.js';
import type { RouteDefinition } from '../routing/route-table.js';
import { LiveConnection } from './websocket-connection.js';

// Between the upgrade request's hooks and the handshake: the connection its parameter is bound
// to, and the arguments bound (dependencies resolved) before the handshake.
const connections = new WeakMap<FastifyRequest, LiveConnection>();
const boundArgs = new WeakMap<FastifyRequest, unknown[]>();

/** The connection of an upgrade request (what a `WebSocketConnection` parameter is bound to). */
export function connectionOf(request: FastifyRequest): LiveConnection | undefined {
  return connections.get(request);
}

export interface WebSocketRouteEnv {
  readonly runtime: AppRuntime;
  readonly instance: object | null;
  /** Every guard of the route, as instances (an upgrade has no body, so all run before the handshake). */
  readonly guards: readonly Guard[];
  /** The route's message limit in bytes. */
  readonly maxPayload: number;
}

export interface CompiledWebSocketRoute {
  /** The route's last onRequest hook: guards, then every parameter bound (dependencies awaited in order). */
  readonly prepare: onRequestHookHandler;
  /** @fastify/websocket's handler, called once the handshake completed. */
  readonly handler: (socket: Ws, request: FastifyRequest) => void;
}

const notUpgraded = (path: string): HttpError =>
  new HttpError(426, `${path} accepts WebSocket connections only: connect with a WebSocket client`, undefined, { headers: { upgrade: 'websocket' } });

// A close reason is at most 123 bytes, and must stay valid UTF-8.
function closeReason(message: string): string {
  let reason = message;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}

function noop(): void {}

/**
 * Compiles a `@WebSocket` row. Everything that may refuse the client (guards, dependencies that
 * throw an HttpError) runs in an onRequest hook, before the handshake, so a refusal is a plain
 * 401/403 JSON answer on the upgrade request. The exchange's end signal is the socket's close:
 * dependencies are cleaned up once the socket has closed and the method has returned.
 */
export function compileWebSocketRoute(def: RouteDefinition, env: WebSocketRouteEnv): CompiledWebSocketRoute {
  const { runtime, instance, guards, maxPayload } = env;
  const plans = def.params.map((p) => paramKinds.get(p.kind)!.bind(p, runtime, def));
  const binders = plans.map((p) => p.bind);
  const asyncAt = plans.map((p) => p.isAsync);
  const fn = def.handler;
  const storage = runtime.context;

  async function bindArgs(ex: Exchange, request: FastifyRequest): Promise<void> {
    if (guards.length > 0) await checkGuards(guards, ex);
    const args = new Array<unknown>(binders.length);
    for (let i = 0; i < binders.length; i++) args[i] = asyncAt[i] ? await binders[i]!(ex, request) : binders[i]!(ex, request);
    boundArgs.set(request, args);
  }

  function prepare(request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void {
    if (!(request as FastifyRequest & { ws?: boolean }).ws) {
      done(notUpgraded(request.url.split('?')[0]!));
      return;
    }
    const socket = request.raw.socket;
    const ex = new Exchange(request, reply, def, runtime, true, socketEnd(socket));
    connections.set(request, new LiveConnection(ex.request, maxPayload));
    (storage === null ? bindArgs(ex, request) : storage.run(ex, bindArgs, ex, request)).then(() => {
      // A handshake that ws refuses after this (a bad Sec-WebSocket-Key) never reaches the handler.
      socket.once('close', () => ex.abandon(undefined));
      done();
    }, (err: unknown) => {
      connections.delete(request);
      ex.fail(err).catch(done);
    });
  }

  function handler(ws: Ws, request: FastifyRequest): void {
    const ex = request.celloExchange!.claim();
    const conn = connections.get(request)!;
    const args = boundArgs.get(request)!;
    connections.delete(request);
    boundArgs.delete(request);
    conn.attach(ws);

    const failed = (err: unknown): void => {
      if (err instanceof HttpError) {
        conn.close(4000 + err.statusCode, closeReason(err.message));
      } else {
        request.log.error({ err, code: 'CELLO_ERR_WEBSOCKET_HANDLER_FAILED' }, celloError('CELLO_ERR_WEBSOCKET_HANDLER_FAILED', [def.handlerName]).message);
        conn.close(1011, 'Internal error');
      }
      ex.fail(err).catch(noop);
    };
    const returned = (value: unknown): void => {
      // The connection lives as long as the method.
      conn.close(1000);
      const finished = ex.finish(value);
      // A `before-response` cleanup that fails has no response to become: it is logged.
      if (isThenable(finished)) {
        Promise.resolve(finished).catch((err: unknown) => request.log.error({ err, code: 'CELLO_ERR_DI_CLEANUP_FAILED' }, `a cleanup of ${def.handlerName} failed`));
      }
    };

    let result: unknown;
    try {
      result = fn.apply(instance, args);
    } catch (err) {
      failed(err);
      return;
    }
    if (isThenable(result)) Promise.resolve(result).then(returned, failed);
    else returned(result);
  }

  // In the request context, the method (and every message it handles) runs inside it.
  const run = storage === null
    ? handler
    : (ws: Ws, request: FastifyRequest) => storage.run(request.celloExchange!, handler, ws, request);
  return { prepare, handler: run };
}
