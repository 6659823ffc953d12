// Cello's realtime routes as users write them: a @WebSocket echo iterating its socket and an
// @Sse async generator, against targets/realtime-plain.ts.
import { App, Controller, Get, Sse, WebSocket, WebSocketConnection } from '@cello/core';
import { host, port } from '../fixtures/port.js';

@Controller('/')
class RealtimeController {
  @Get('/hello')
  hello() {
    return 'ok';
  }

  @WebSocket('/echo')
  async echo(socket: WebSocketConnection) {
    for await (const msg of socket) socket.send(msg.data);
  }

  @Sse('/events')
  async *events() {
    for (let n = 0; ; n++) yield { n };
  }
}

const app = new App({ controllers: [RealtimeController], logger: false });
void app.listen({ port, host });
