import { request } from 'node:http';
import { createServer } from 'node:net';

/** A port nothing listens on now: a cluster's primary must be told its port before it forks. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** GET over a fresh connection each time, so the primary hands it to the next worker. */
export function getFresh(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => done({ status: res.statusCode!, body }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
}
