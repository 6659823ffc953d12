import { get } from 'node:http';
import { connect, type Server } from 'node:net';

export interface RawResponse {
  /** Status codes of every response read off the socket, in order (pipelined garbage can add one). */
  statuses: number[];
  /** Everything the server wrote. */
  text: string;
}

/**
 * Writes `chunks` (strings or bytes) to a fresh TCP connection exactly as given, with no client
 * library to normalize them, and reads until the server closes or `idleMs` pass without a byte
 * (the test's own timeout bounds it otherwise).
 */
export function rawHttp(url: string, chunks: Array<string | Buffer>, options: { idleMs?: number; endAfterWrite?: boolean } = {}): Promise<RawResponse> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    let idle: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(idle);
      socket.destroy();
      const text = Buffer.concat(received).toString('latin1');
      const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
      resolve({ statuses, text });
    };
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(finish, options.idleMs ?? 1500);
    };
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
      if (options.endAfterWrite) socket.end();
      arm();
    });
    socket.on('data', (chunk) => {
      received.push(chunk);
      arm();
    });
    socket.on('close', finish);
    socket.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? finish() : reject(err)));
  });
}

/** A GET over a fresh connection that is closed after it: the status, to prove the server still serves. */
export function stillServes(url: string, path = '/ping'): Promise<number> {
  return new Promise((resolve, reject) => {
    get(`${url}${path}`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    }).on('error', reject);
  });
}

/** Open connections of `server` once they settle (polling; the test's timeout bounds it). */
export async function openConnections(server: Server, settleMs = 3000): Promise<number> {
  const count = () => new Promise<number>((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
  const deadline = Date.now() + settleMs;
  let n = await count();
  while (n > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    n = await count();
  }
  return n;
}
