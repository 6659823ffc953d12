import { Readable } from 'node:stream';
import { App, Response } from '@cello/core';

let app: App;

beforeEach(() => {
  app = new App({ logger: false });
});

afterEach(async () => {
  await app.close();
});

describe('plain return values', () => {
  test('an object is 200 JSON', async () => {
    app.get('/obj', () => ({ a: 1, nested: { b: [true] } }));

    const res = await app.inject({ method: 'GET', url: '/obj' });

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ a: 1, nested: { b: [true] } });
  });

  test('an array is 200 JSON', async () => {
    app.get('/arr', async () => [1, 'two', { three: 3 }]);

    const res = await app.inject({ method: 'GET', url: '/arr' });

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual([1, 'two', { three: 3 }]);
  });

  test('a string is text/plain, sent as is', async () => {
    app.get('/str', () => 'hello there');

    const res = await app.inject({ method: 'GET', url: '/str' });

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe('hello there');
  });

  test.each([
    ['undefined', undefined],
    ['null', null],
  ])('%s is 204 with an empty body', async (_name, value) => {
    app.get('/empty', async () => value);

    const res = await app.inject({ method: 'GET', url: '/empty' });

    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
  });

  test('a sync handler returning nothing is 204', async () => {
    app.delete('/gone', () => {
      /* nothing to return */
    });

    expect((await app.inject({ method: 'DELETE', url: '/gone' })).statusCode).toBe(204);
  });

  test('a Buffer is application/octet-stream with the same bytes', async () => {
    const bytes = Buffer.from([0, 1, 2, 254, 255]);
    app.get('/bin', () => bytes);

    const res = await app.inject({ method: 'GET', url: '/bin' });

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.compare(res.rawPayload, bytes)).toBe(0);
  });
});

describe('Response.json', () => {
  test('takes status and headers in init', async () => {
    app.post('/orders', () => Response.json({ order_id: 'o1', status: 'created' }, { status: 201, headers: { 'X-A': '1' } }));

    const res = await app.inject({ method: 'POST', url: '/orders' });

    expect(res.statusCode).toBe(201);
    expect(res.headers['x-a']).toBe('1');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ order_id: 'o1', status: 'created' });
  });

  test('takes a status number as shorthand', async () => {
    app.post('/made', () => Response.json({ ok: true }, 201));

    const res = await app.inject({ method: 'POST', url: '/made' });

    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ ok: true });
  });

  test('defaults to 200', async () => {
    app.get('/plain', async () => Response.json([1, 2]));

    const res = await app.inject({ method: 'GET', url: '/plain' });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([1, 2]);
  });

  test('sends a string as a JSON string, with its quotes', async () => {
    app.get('/jstr', () => Response.json('str'));

    const res = await app.inject({ method: 'GET', url: '/jstr' });

    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toBe('"str"');
    expect(res.json()).toBe('str');
  });
});

describe('Response.text / html', () => {
  test('Response.text is text/plain with the given status', async () => {
    app.get('/t', () => Response.text('accepted', 202));

    const res = await app.inject({ method: 'GET', url: '/t' });

    expect(res.statusCode).toBe(202);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe('accepted');
  });

  test('Response.html is text/html and keeps extra headers', async () => {
    app.get('/h', () => Response.html('<p>hi</p>', { headers: { 'x-page': 'home' } }));

    const res = await app.inject({ method: 'GET', url: '/h' });

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['x-page']).toBe('home');
    expect(res.body).toBe('<p>hi</p>');
  });
});

describe('Response.redirect', () => {
  test('defaults to 307 with a location header', async () => {
    app.get('/old', () => Response.redirect('/new'));

    const res = await app.inject({ method: 'GET', url: '/old' });

    expect(res.statusCode).toBe(307);
    expect(res.headers.location).toBe('/new');
  });

  test('takes another redirect status', async () => {
    app.post('/form', () => Response.redirect('https://example.com/done', 303));

    const res = await app.inject({ method: 'POST', url: '/form' });

    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('https://example.com/done');
  });

  test('throws for a status that is not a redirect', () => {
    expect(() => Response.redirect('/x', 200)).toThrow();
    expect(() => Response.redirect('/x', 404)).toThrow();
  });
});

describe('Response.noContent', () => {
  test('is 204 with no body', async () => {
    app.put('/thing', () => Response.noContent());

    const res = await app.inject({ method: 'PUT', url: '/thing' });

    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
  });
});

describe('Response.stream', () => {
  test('pipes a Node Readable as application/octet-stream by default', async () => {
    app.get('/readable', () => Response.stream(Readable.from([Buffer.from('chunk-1,'), Buffer.from('chunk-2')])));

    const res = await app.inject({ method: 'GET', url: '/readable' });

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.body).toBe('chunk-1,chunk-2');
  });

  test('streams an async generator with the given content type and status', async () => {
    async function* lines() {
      yield 'a\n';
      await new Promise((r) => setImmediate(r));
      yield 'b\n';
      yield 'c\n';
    }
    app.get('/gen', () => Response.stream(lines(), { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } }));

    const res = await app.inject({ method: 'GET', url: '/gen' });

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toBe('a\nb\nc\n');
  });
});

describe('Response.sse', () => {
  test('sends events with event, id and data fields as text/event-stream', async () => {
    async function* events() {
      yield { event: 'greeting', id: '1', data: 'hello' };
      yield { id: '2', data: 'world' };
    }
    app.get('/events', () => Response.sse(events()));

    const res = await app.inject({ method: 'GET', url: '/events' });

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.body).toBe('event: greeting\nid: 1\ndata: hello\n\nid: 2\ndata: world\n\n');
  });

  test('JSON-encodes data that is not a string', async () => {
    async function* events() {
      yield { event: 'tick', data: { n: 1, tags: ['a'] } };
    }
    app.get('/json-events', () => Response.sse(events()));

    const res = await app.inject({ method: 'GET', url: '/json-events' });

    expect(res.body).toBe('event: tick\ndata: {"n":1,"tags":["a"]}\n\n');
  });

  test('splits multi-line data into several data: lines', async () => {
    async function* events() {
      yield { data: 'line one\nline two\nline three' };
    }
    app.get('/multi', () => Response.sse(events()));

    const res = await app.inject({ method: 'GET', url: '/multi' });

    expect(res.body).toBe('data: line one\ndata: line two\ndata: line three\n\n');
  });
});

describe('Response values are checked', () => {
  test('a Response with an invalid status throws when it is built', () => {
    expect(() => Response.json({}, 42)).toThrow();
    expect(() => Response.text('x', { status: 700 })).toThrow();
  });
});
