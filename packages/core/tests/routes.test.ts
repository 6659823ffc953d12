import { App, Controller, Delete, Get, Patch, Post, Put, Request, Singleton } from '@cello/core';

async function expectRejectsWithCode(promise: Promise<unknown>, code: string): Promise<Error & { code?: string }> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(Error);
  expect((caught as { code?: string }).code).toBe(code);
  return caught as Error & { code?: string };
}

describe('functional routes', () => {
  let app: App;

  beforeEach(() => {
    app = new App({ logger: false });
  });

  afterEach(async () => {
    await app.close();
  });

  test('serves sync and async handlers side by side in one app', async () => {
    app.get('/hello', () => ({ message: 'Hello, World!' }));
    app.get('/later', async () => {
      await new Promise((r) => setImmediate(r));
      return { message: 'later' };
    });

    const sync = await app.inject({ method: 'GET', url: '/hello' });
    const async_ = await app.inject({ method: 'GET', url: '/later' });

    expect(sync.statusCode).toBe(200);
    expect(sync.json()).toEqual({ message: 'Hello, World!' });
    expect(async_.statusCode).toBe(200);
    expect(async_.json()).toEqual({ message: 'later' });
  });

  test('treats `{id}` and `:id` as the same path parameter syntax', async () => {
    app.get('/user/{id}', async (req: Request) => ({ id: req.params.id, via: 'braces' }));
    app.get('/item/:id', (req: Request) => ({ id: req.params.id, via: 'colon' }));

    expect((await app.inject({ method: 'GET', url: '/user/42' })).json()).toEqual({ id: '42', via: 'braces' });
    expect((await app.inject({ method: 'GET', url: '/item/7' })).json()).toEqual({ id: '7', via: 'colon' });
  });

  test('registers post, put, patch and delete on their own methods', async () => {
    app.post('/things', (req: Request) => ({ did: 'post', body: req.body }));
    app.put('/things/{id}', (req: Request) => ({ did: 'put', id: req.params.id }));
    app.patch('/things/{id}', (req: Request) => ({ did: 'patch', id: req.params.id }));
    app.delete('/things/{id}', (req: Request) => ({ did: 'delete', id: req.params.id }));

    expect((await app.inject({ method: 'POST', url: '/things', payload: { a: 1 } })).json()).toEqual({ did: 'post', body: { a: 1 } });
    expect((await app.inject({ method: 'PUT', url: '/things/1' })).json()).toEqual({ did: 'put', id: '1' });
    expect((await app.inject({ method: 'PATCH', url: '/things/2' })).json()).toEqual({ did: 'patch', id: '2' });
    expect((await app.inject({ method: 'DELETE', url: '/things/3' })).json()).toEqual({ did: 'delete', id: '3' });
    // POST only: another method on /things is not served by the post handler.
    expect((await app.inject({ method: 'PUT', url: '/things' })).statusCode).toBe(405);
  });

  test('app.all answers every method on one path', async () => {
    app.all('/any', (req: Request) => ({ method: req.method }));

    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
      const res = await app.inject({ method, url: '/any' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ method });
    }
  });

  test('a handler with no parameters still runs', async () => {
    let calls = 0;
    app.get('/count', () => {
      calls += 1;
      return { calls };
    });

    expect((await app.inject({ method: 'GET', url: '/count' })).json()).toEqual({ calls: 1 });
    expect((await app.inject({ method: 'GET', url: '/count' })).json()).toEqual({ calls: 2 });
  });

  test('applies the route `status` option to a functional route', async () => {
    app.post('/made', () => ({ ok: true }), { status: 201 });

    const res = await app.inject({ method: 'POST', url: '/made' });

    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ ok: true });
  });
});

describe('controllers', () => {
  @Singleton()
  class UserStore {
    readonly users: Record<string, { id: string; name: string }> = { '1': { id: '1', name: 'Ada' } };
  }

  @Controller('/users')
  class UsersController {
    constructor(private readonly store: UserStore) {}

    @Get('/')
    list() {
      return Object.values(this.store.users);
    }

    @Get('/{id}')
    get(req: Request) {
      return this.store.users[req.params.id] ?? { missing: req.params.id };
    }

    @Post('/', { status: 201 })
    create(req: Request) {
      return { created: req.body };
    }

    @Put('/{id}')
    replace(req: Request) {
      return { replaced: req.params.id };
    }

    @Patch('/{id}')
    update(req: Request) {
      return { updated: req.params.id };
    }

    @Delete('/{id}')
    remove(req: Request) {
      return { removed: req.params.id };
    }
  }

  let app: App;

  beforeEach(() => {
    app = new App({ controllers: [UsersController], logger: false });
  });

  afterEach(async () => {
    await app.close();
  });

  test('@Controller prefix + @Get("/") serves the prefix itself', async () => {
    const res = await app.inject({ method: 'GET', url: '/users' });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([{ id: '1', name: 'Ada' }]);
  });

  test('a trailing slash is the same route', async () => {
    const res = await app.inject({ method: 'GET', url: '/users/' });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([{ id: '1', name: 'Ada' }]);
  });

  test('joins prefix and method path with parameters', async () => {
    expect((await app.inject({ method: 'GET', url: '/users/1' })).json()).toEqual({ id: '1', name: 'Ada' });
    expect((await app.inject({ method: 'PUT', url: '/users/5' })).json()).toEqual({ replaced: '5' });
    expect((await app.inject({ method: 'PATCH', url: '/users/6' })).json()).toEqual({ updated: '6' });
    expect((await app.inject({ method: 'DELETE', url: '/users/7' })).json()).toEqual({ removed: '7' });
  });

  test('the route `status` option sets the success status', async () => {
    const res = await app.inject({ method: 'POST', url: '/users', payload: { name: 'Bob' } });

    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ created: { name: 'Bob' } });
  });

  test('answers HEAD for a GET route with the headers and no body', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/users/1' });

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toBe('');
  });

  test('register() adds controllers before the app starts', async () => {
    @Controller('/late')
    class LateController {
      @Get('/')
      hi() {
        return { late: true };
      }
    }
    app.register(LateController);

    expect((await app.inject({ method: 'GET', url: '/late' })).json()).toEqual({ late: true });
    expect((await app.inject({ method: 'GET', url: '/users/1' })).statusCode).toBe(200);
  });
});

describe('controller inheritance', () => {
  @Controller('/base')
  class BaseController {
    @Get('/kept')
    kept() {
      return { from: 'base', route: 'kept' };
    }

    @Get('/replaced')
    replaced() {
      return { from: 'base', route: 'replaced' };
    }

    @Get('/body')
    body() {
      return { from: 'base', route: 'body' };
    }

    @Get('/helper')
    helper() {
      return { value: this.value() };
    }

    value() {
      return 'base';
    }
  }

  @Controller('/sub')
  class SubController extends BaseController {
    @Get('/new-path')
    override replaced() {
      return { from: 'sub', route: 'new-path' };
    }

    override body() {
      return { from: 'sub', route: 'body' };
    }

    override value() {
      return 'sub';
    }
  }

  let app: App;

  beforeEach(() => {
    app = new App({ controllers: [BaseController, SubController], logger: false });
  });

  afterEach(async () => {
    await app.close();
  });

  test('a subclass inherits the routes of its base class under its own prefix', async () => {
    const res = await app.inject({ method: 'GET', url: '/sub/kept' });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ from: 'base', route: 'kept' });
  });

  test('overriding a method with its own decorator replaces the route', async () => {
    const moved = await app.inject({ method: 'GET', url: '/sub/new-path' });
    const old = await app.inject({ method: 'GET', url: '/sub/replaced' });

    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toEqual({ from: 'sub', route: 'new-path' });
    expect(old.statusCode).toBe(404);
  });

  test('overriding a method without a decorator keeps the route and runs the new body', async () => {
    const res = await app.inject({ method: 'GET', url: '/sub/body' });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ from: 'sub', route: 'body' });
  });

  test('inherited handlers run with the subclass instance as `this`', async () => {
    expect((await app.inject({ method: 'GET', url: '/sub/helper' })).json()).toEqual({ value: 'sub' });
  });

  test('the base class keeps serving its own routes unchanged', async () => {
    expect((await app.inject({ method: 'GET', url: '/base/replaced' })).json()).toEqual({ from: 'base', route: 'replaced' });
    expect((await app.inject({ method: 'GET', url: '/base/body' })).json()).toEqual({ from: 'base', route: 'body' });
    expect((await app.inject({ method: 'GET', url: '/base/helper' })).json()).toEqual({ value: 'base' });
    expect((await app.inject({ method: 'GET', url: '/base/new-path' })).statusCode).toBe(404);
  });
});

describe('startup rules', () => {
  test('two controllers declaring the same route fail at startup with CELLO_ERR_ROUTE_DUPLICATE', async () => {
    @Controller('/dup')
    class FirstController {
      @Get('/{id}')
      one() {
        return 1;
      }
    }
    @Controller('/dup')
    class SecondController {
      @Get('/:other')
      two() {
        return 2;
      }
    }
    const app = new App({ controllers: [FirstController, SecondController], logger: false });

    const err = await expectRejectsWithCode(app.ready(), 'CELLO_ERR_ROUTE_DUPLICATE');
    expect(err.message).toContain('FirstController.one');
    expect(err.message).toContain('SecondController.two');
    await app.close();
  });

  test('two functional routes on the same method and path fail at startup with CELLO_ERR_ROUTE_DUPLICATE', async () => {
    const app = new App({ logger: false });
    app.get('/twice', () => 'a');
    app.get('/twice/', () => 'b');

    await expectRejectsWithCode(app.inject({ method: 'GET', url: '/twice' }), 'CELLO_ERR_ROUTE_DUPLICATE');
    await app.close();
  });

  test('the same path on different methods is not a duplicate', async () => {
    const app = new App({ logger: false });
    app.get('/same', () => 'get');
    app.post('/same', () => 'post');

    expect((await app.inject({ method: 'GET', url: '/same' })).body).toBe('get');
    expect((await app.inject({ method: 'POST', url: '/same' })).body).toBe('post');
    await app.close();
  });

  test('adding a route or controller after the app started throws CELLO_ERR_ROUTE_AFTER_START', async () => {
    @Controller('/too-late')
    class TooLateController {
      @Get('/')
      get() {
        return 'x';
      }
    }
    const app = new App({ logger: false });
    app.get('/first', () => 'first');
    await app.ready();

    let routeError: unknown;
    try {
      app.get('/second', () => 'second');
    } catch (err) {
      routeError = err;
    }
    let controllerError: unknown;
    try {
      app.register(TooLateController);
    } catch (err) {
      controllerError = err;
    }

    expect((routeError as { code?: string })?.code).toBe('CELLO_ERR_ROUTE_AFTER_START');
    expect((controllerError as { code?: string })?.code).toBe('CELLO_ERR_ROUTE_AFTER_START');
    expect((await app.inject({ method: 'GET', url: '/second' })).statusCode).toBe(404);
    await app.close();
  });
});

describe('two apps in one process', () => {
  @Singleton()
  class HitCounter {
    count = 0;
    hit(): number {
      this.count += 1;
      return this.count;
    }
  }

  @Controller('/hits')
  class HitsController {
    constructor(private readonly counter: HitCounter) {}

    @Get('/')
    hit() {
      return { count: this.counter.hit() };
    }
  }

  let a: App;
  let b: App;

  beforeEach(() => {
    a = new App({ controllers: [HitsController], logger: false });
    b = new App({ controllers: [HitsController], logger: false });
  });

  afterEach(async () => {
    await a.close();
    await b.close();
  });

  test('each app has its own @Singleton() instance', async () => {
    expect((await a.inject({ method: 'GET', url: '/hits' })).json()).toEqual({ count: 1 });
    expect((await a.inject({ method: 'GET', url: '/hits' })).json()).toEqual({ count: 2 });
    expect((await b.inject({ method: 'GET', url: '/hits' })).json()).toEqual({ count: 1 });
    expect((await a.inject({ method: 'GET', url: '/hits' })).json()).toEqual({ count: 3 });
    expect(a.container.resolve(HitCounter)).not.toBe(b.container.resolve(HitCounter));
  });

  test('within one app a @Singleton() is the same instance everywhere', async () => {
    await a.inject({ method: 'GET', url: '/hits' });

    expect(a.container.resolve(HitCounter)).toBe(a.container.resolve(HitCounter));
    expect(a.container.resolve(HitCounter).count).toBe(1);
  });

  test('routes of one app are not served by the other', async () => {
    a.get('/only-a', () => ({ app: 'a' }));

    expect((await a.inject({ method: 'GET', url: '/only-a' })).statusCode).toBe(200);
    expect((await b.inject({ method: 'GET', url: '/only-a' })).statusCode).toBe(404);
    expect(b.routes().map((r) => r.path)).not.toContain('/only-a');
  });

  test('app state and container registrations are per app', async () => {
    a.state.pool = 'a-pool';
    a.container.register('greeting', { useValue: 'from a' });

    expect(b.state.pool).toBeUndefined();
    expect(a.container.isRegistered('greeting')).toBe(true);
    expect(b.container.isRegistered('greeting', true)).toBe(false);
  });

  test('starting one app does not start the other', async () => {
    await a.ready();

    expect(() => b.get('/still-open', () => 'ok')).not.toThrow();
    expect((await b.inject({ method: 'GET', url: '/still-open' })).body).toBe('ok');
  });
});

describe('app.routes()', () => {
  test('returns one row per route with methods, path and handler name', async () => {
    @Controller('/books')
    class BooksController {
      @Get('/{id}')
      find(req: Request) {
        return { id: req.params.id };
      }

      @Post('/', { status: 201, summary: 'Create a book' })
      create() {
        return {};
      }
    }
    const app = new App({ controllers: [BooksController], logger: false });
    app.get('/hello/{name}', () => 'hi');

    const table = app.routes();

    expect(table).toHaveLength(3);
    const find = table.find((r) => r.handlerName === 'BooksController.find');
    const create = table.find((r) => r.handlerName === 'BooksController.create');
    const hello = table.find((r) => r.controller === null);
    expect(find).toMatchObject({ methods: ['GET'], path: '/books/:id', controller: BooksController, propertyKey: 'find' });
    expect(create).toMatchObject({ methods: ['POST'], path: '/books', options: { status: 201, summary: 'Create a book' } });
    expect(hello).toMatchObject({ methods: ['GET'], path: '/hello/:name', propertyKey: null });
    expect(find!.params.map((p) => p.kind)).toEqual(['request']);
    await app.close();
  });
});
