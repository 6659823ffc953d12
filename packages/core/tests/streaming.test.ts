import { get, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { App, Controller, Depends, Get, Response } from '@cello/core';

const MiB = 1024 * 1024;

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (check() ? resolve() : setTimeout(poll, 10));
    poll();
  });
}

function open(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, resolve).on('error', reject));
}

describe('Response.stream', () => {
  let app: App;

  beforeEach(() => {
    app = new App({ logger: false });
  });

  afterEach(() => app.close());

  test('streams an async iterable, a Node Readable and a web ReadableStream', async () => {
    app.get('/gen', () => Response.stream((async function* () {
      yield 'a,b\n';
      yield Buffer.from('1,2\n');
    })(), { headers: { 'content-type': 'text/csv' } }));
    app.get('/node', () => Response.stream(Readable.from(['x', 'y'])));
    app.get('/web', () => Response.stream(new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('web'));
        controller.close();
      },
    })));

    const gen = await app.inject('/gen');
    expect(gen.headers['content-type']).toBe('text/csv');
    expect(gen.body).toBe('a,b\n1,2\n');
    expect((await app.inject('/node')).body).toBe('xy');
    expect((await app.inject('/web')).body).toBe('web');
  });

  test('a slow client does not make the server buffer the body (200 MiB)', async () => {
    const total = 200 * MiB;
    const chunk = Buffer.alloc(64 * 1024, 120);
    let produced = 0;
    app.get('/big', () => Response.stream((async function* () {
      while (produced < total) {
        produced += chunk.length;
        yield chunk;
      }
    })()));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const heapBefore = process.memoryUsage().heapUsed;

    const res = await open(`${url}/big`);
    let received = 0;
    res.on('data', (c: Buffer) => (received += c.length));
    await until(() => received >= 4 * MiB);
    res.pause();
    // The client stopped reading: the producer must stop too, once the socket buffers are full.
    let last = -1;
    let still = 0;
    await until(() => {
      still = produced === last ? still + 1 : 0;
      last = produced;
      return still >= 20;
    });
    const ahead = produced - received;
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(ahead).toBeLessThan(48 * MiB);
    expect(heapGrowth).toBeLessThan(64 * MiB);

    res.resume();
    await new Promise((resolve) => res.on('end', resolve));
    expect(received).toBe(total);
  }, 120_000);

  test('an error before the first chunk is a 500 JSON answer', async () => {
    app.get('/fails', () => Response.stream((async function* () {
      throw new Error('no data today');
    })()));

    const res = await app.inject('/fails');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' });
  });

  test('an error mid-stream destroys the response: the client sees it cut, not a clean end', async () => {
    app.get('/breaks', () => Response.stream((async function* () {
      yield 'partial ';
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('disk gone');
    })()));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });

    const res = await open(`${url}/breaks`);
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (body += c));
    const outcome = await new Promise<string>((resolve) => {
      res.on('end', () => resolve('end'));
      res.on('aborted', () => resolve('aborted'));
      res.on('error', () => resolve('error'));
    });
    expect(res.statusCode).toBe(200);
    expect(body).toBe('partial ');
    expect(outcome).not.toBe('end');
  });
});

describe('a streamed response ends its exchange once', () => {
  const events: string[] = [];

  async function* connection() {
    events.push('open');
    try {
      yield { id: 1 };
    } finally {
      events.push('cleanup');
    }
  }

  @Controller('/export')
  class ExportController {
    @Get('/short')
    short(@Depends(connection) _conn: { id: number }) {
      return Response.stream((async function* () {
        yield 'one,';
        yield 'two';
      })());
    }

    @Get('/endless')
    endless(@Depends(connection) _conn: { id: number }) {
      return Response.stream((async function* () {
        try {
          for (;;) {
            yield Buffer.alloc(16 * 1024);
            await new Promise((resolve) => setImmediate(resolve));
          }
        } finally {
          events.push('source closed');
        }
      })());
    }
  }

  beforeEach(() => {
    events.length = 0;
  });

  test('when the stream ends', async () => {
    const app = new App({ controllers: [ExportController], logger: false });
    const res = await app.inject('/export/short');
    expect(res.body).toBe('one,two');
    await app.close();
    expect(events).toEqual(['open', 'cleanup']);
  });

  test('when the client goes away mid-stream: the source is closed and cleanup runs', async () => {
    const app = new App({ controllers: [ExportController], logger: false });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const res = await open(`${url}/export/endless`);
    await new Promise((resolve) => res.once('data', resolve));
    res.destroy();
    await until(() => events.includes('cleanup') && events.includes('source closed'));
    await app.close();
    expect(events.filter((e) => e === 'cleanup')).toHaveLength(1);
    expect(events[0]).toBe('open');
  });
});
