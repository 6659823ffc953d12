import net from 'node:net';

/** What came back on a raw socket: the parsed head and body, or nothing if the server just closed. */
export interface WireAnswer {
  status: number | null;
  headers: Record<string, string>;
  body: string;
}

function parse(out: string): WireAnswer {
  if (out.length === 0) return { status: null, headers: {}, body: '' };
  const at = out.indexOf('\r\n\r\n');
  const head = at === -1 ? out : out.slice(0, at);
  const body = at === -1 ? '' : out.slice(at + 4);
  const [statusLine, ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body };
}

/**
 * Opens a socket, lets `talk` write to it (the test decides what and how slowly), and resolves
 * with what the server answered once it closed the connection. `fetch` and `inject` both
 * normalise or refuse what these tests need to send as is.
 */
export function wire(port: number, talk: (socket: net.Socket) => void | Promise<void>): Promise<WireAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      Promise.resolve(talk(socket)).catch(reject);
    });
    let out = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => { out += d; });
    // The server may close while the client is still writing (an answer before the whole body).
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err);
    });
    socket.on('close', () => resolve(parse(out)));
  });
}

/** One request written at once, `connection: close`. */
export function send(port: number, request: string | Buffer): Promise<WireAnswer> {
  return wire(port, (socket) => { socket.write(request); });
}

/** The JSON body of an answer. */
export function json(answer: WireAnswer): Record<string, unknown> {
  return JSON.parse(answer.body) as Record<string, unknown>;
}
