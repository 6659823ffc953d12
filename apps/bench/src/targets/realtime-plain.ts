// The realtime floor: a WebSocket echo on the plain `ws` package and a hand-written node:http
// SSE endpoint, with no framework. GET /hello answers so the runner knows it is up.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { host, port } from '../fixtures/port.js';

const server = createServer((req, res) => {
  if (req.url === '/events') {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    let n = 0;
    let open = true;
    res.on('close', () => { open = false; });
    // As fast as the client reads: write until the socket's buffer is full, then wait for drain.
    const pump = (): void => {
      while (open) {
        if (!res.write(`data: ${JSON.stringify({ n: n++ })}\n\n`)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});

const wss = new WebSocketServer({ server, path: '/echo', maxPayload: 1024 * 1024 });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data as Buffer, { binary: isBinary }));
});

server.listen(port, host);
