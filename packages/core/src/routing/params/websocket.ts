import { connectionOf } from '../../realtime/websocket-route.js';
import { WebSocketConnection } from '../../realtime/websocket-connection.js';
import type { ParamKindSpec } from './param-kind.js';

/** `socket: WebSocketConnection`: the open socket of a `@WebSocket` route. */
export const websocketParam: ParamKindSpec = {
  kind: 'websocket',
  boundType: WebSocketConnection,
  bind: () => ({ bind: (_ctx, request) => connectionOf(request), isAsync: false, needsContext: false }),
};
