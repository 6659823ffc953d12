import { IsInt, IsNumber, IsOptional, IsString, Min } from 'class-validator';
import {
  App,
  BackgroundTasks,
  Body,
  Controller,
  Get,
  Header,
  Inject,
  Injectable,
  Param,
  Post,
  Query,
  Request,
  RequestContext,
} from '@cello/core';

async function startupError(app: App): Promise<Error & { code?: string }> {
  let caught: unknown;
  try {
    await app.ready();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(Error);
  return caught as Error & { code?: string };
}

describe('req: Request', () => {
  let seen: Request | undefined;

  @Controller('/req')
  class RequestController {
    @Post('/{id}')
    echo(req: Request) {
      seen = req;
      req.state.touched = true;
      return {
        isRequest: req instanceof Request,
        method: req.method,
        url: req.url,
        path: req.path,
        params: req.params,
        query: req.query,
        customHeader: req.headers['x-custom'],
        headerLookup: req.header('X-Custom'),
        headerFallback: req.header('x-missing', 'fallback'),
        headerMissing: req.header('x-missing') ?? null,
        body: req.body,
        json: req.json(),
        text: req.text(),
        ip: req.ip,
        id: req.id,
        state: req.state,
      };
    }

    @Get('/empty')
    empty(req: Request) {
      return { body: req.body ?? null, text: req.text() };
    }
  }

  let app: App;

  beforeEach(() => {
    seen = undefined;
    app = new App({ controllers: [RequestController], logger: false });
  });

  afterEach(async () => {
    await app.close();
  });

  test('exposes method, url, path, params, query, headers, body, json(), text(), ip, id and state', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/req/7?a=1&b=two',
      payload: '{"x":1,"y":"z"}',
      headers: { 'content-type': 'application/json', 'X-Custom': 'custom-value' },
    });

    expect(res.statusCode).toBe(200);
    const got = res.json();
    expect(got).toMatchObject({
      isRequest: true,
      method: 'POST',
      url: '/req/7?a=1&b=two',
      path: '/req/7',
      params: { id: '7' },
      query: { a: '1', b: 'two' },
      customHeader: 'custom-value',
      headerLookup: 'custom-value',
      headerFallback: 'fallback',
      headerMissing: null,
      body: { x: 1, y: 'z' },
      json: { x: 1, y: 'z' },
      text: '{"x":1,"y":"z"}',
      ip: '127.0.0.1',
      state: { touched: true },
    });
    expect(typeof got.id).toBe('string');
    expect(got.id.length).toBeGreaterThan(0);
  });

  test('headers have lower-case keys', async () => {
    await app.inject({ method: 'POST', url: '/req/1', payload: {}, headers: { 'X-Mixed-Case': 'v' } });

    expect(seen!.headers['x-mixed-case']).toBe('v');
    expect(Object.keys(seen!.headers).every((k) => k === k.toLowerCase())).toBe(true);
  });

  test('gives each request its own id and state', async () => {
    const first = (await app.inject({ method: 'POST', url: '/req/1', payload: {} })).json();
    const firstReq = seen!;
    const second = (await app.inject({ method: 'POST', url: '/req/2', payload: {} })).json();

    expect(first.id).not.toBe(second.id);
    expect(seen!.state).not.toBe(firstReq.state);
  });

  test('text() is empty and body undefined without a body', async () => {
    const res = await app.inject({ method: 'GET', url: '/req/empty' });

    expect(res.json()).toEqual({ body: null, text: '' });
  });
});

describe('ctx: RequestContext', () => {
  const TOKEN = 'params.test.token';
  const contexts: RequestContext[] = [];

  @Controller('/ctx')
  class ContextController {
    @Get('/')
    show(req: Request, ctx: RequestContext) {
      contexts.push(ctx);
      req.state.fromReq = 'r';
      ctx.state.fromCtx = 'c';
      ctx.container.register('request-only', { useValue: 'x' });
      return {
        isContext: ctx instanceof RequestContext,
        sameRequest: ctx.request === req,
        stateFromCtx: ctx.state.fromReq,
        stateFromReq: req.state.fromCtx,
        viaChild: ctx.container.resolve(TOKEN),
      };
    }
  }

  let app: App;

  beforeEach(() => {
    contexts.length = 0;
    app = new App({ controllers: [ContextController], logger: false });
    app.container.register(TOKEN, { useValue: 'from-app' });
  });

  afterEach(async () => {
    await app.close();
  });

  test('ctx.request is the request and ctx.state is shared with req.state', async () => {
    const res = await app.inject({ method: 'GET', url: '/ctx' });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ isContext: true, sameRequest: true, stateFromCtx: 'r', stateFromReq: 'c', viaChild: 'from-app' });
  });

  test('ctx.container is a per-request child of the app container', async () => {
    await app.inject({ method: 'GET', url: '/ctx' });
    await app.inject({ method: 'GET', url: '/ctx' });

    expect(contexts).toHaveLength(2);
    const [first, second] = contexts as [RequestContext, RequestContext];
    expect(first.container).not.toBe(app.container);
    expect(first.container).not.toBe(second.container);
    // Registered on the child only: the app container does not see it.
    expect(first.container.isRegistered('request-only')).toBe(true);
    expect(app.container.isRegistered('request-only', true)).toBe(false);
  });
});

describe('tasks: BackgroundTasks', () => {
  test('injects this request\'s BackgroundTasks, the same object as ctx.background', async () => {
    @Controller('/tasks')
    class TasksController {
      @Get('/')
      show(tasks: BackgroundTasks, ctx: RequestContext) {
        return { isTasks: tasks instanceof BackgroundTasks, sameAsCtx: tasks === ctx.background, size: tasks.size };
      }
    }
    const app = new App({ controllers: [TasksController], logger: false });

    const res = await app.inject({ method: 'GET', url: '/tasks' });

    expect(res.json()).toEqual({ isTasks: true, sameAsCtx: true, size: 0 });
    await app.close();
  });
});

describe('DTO bodies (undecorated class parameter)', () => {
  class CreateItem {
    @IsString()
    name!: string;

    @IsNumber()
    @Min(0)
    price!: number;

    @IsOptional()
    @IsInt()
    qty?: number;
  }

  @Controller('/items')
  class ItemsController {
    @Post('/', { status: 201 })
    create(item: CreateItem) {
      return { isInstance: item instanceof CreateItem, item, keys: Object.keys(item).sort() };
    }

    @Post('/explicit')
    explicit(@Body() item: CreateItem) {
      return { isInstance: item instanceof CreateItem, item };
    }
  }

  let app: App;

  beforeEach(() => {
    app = new App({ controllers: [ItemsController], logger: false });
  });

  afterEach(async () => {
    await app.close();
  });

  test('turns a valid JSON body into an instance of the class', async () => {
    const res = await app.inject({ method: 'POST', url: '/items', payload: { name: 'pen', price: 1.5 } });

    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ isInstance: true, item: { name: 'pen', price: 1.5 }, keys: ['name', 'price'] });
  });

  test('strips unknown properties', async () => {
    const res = await app.inject({ method: 'POST', url: '/items', payload: { name: 'pen', price: 2, admin: true } });

    expect(res.statusCode).toBe(201);
    expect(res.json().item).toEqual({ name: 'pen', price: 2 });
    expect(res.json().keys).not.toContain('admin');
  });

  test('answers 422 with details [{ path, messages }] for an invalid body', async () => {
    const res = await app.inject({ method: 'POST', url: '/items', payload: { name: 'pen', price: -1 } });

    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      statusCode: 422,
      details: [{ path: 'price', messages: ['price must not be less than 0'] }],
    });
  });

  test('reports every invalid field', async () => {
    const res = await app.inject({ method: 'POST', url: '/items', payload: { name: 5, price: 'x' } });

    expect(res.statusCode).toBe(422);
    const paths = (res.json().details as { path: string; messages: string[] }[]).map((d) => d.path).sort();
    expect(paths).toEqual(['name', 'price']);
  });

  test('@Body() with a class type is validated the same way', async () => {
    const ok = await app.inject({ method: 'POST', url: '/items/explicit', payload: { name: 'pen', price: 3, extra: 1 } });
    const bad = await app.inject({ method: 'POST', url: '/items/explicit', payload: { name: 'pen' } });

    expect(ok.json()).toEqual({ isInstance: true, item: { name: 'pen', price: 3 } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details[0].path).toBe('price');
  });
});

describe('part decorators', () => {
  @Controller('/parts')
  class PartsController {
    @Post('/body')
    body(@Body() body: Record<string, unknown>, @Body('name') name: string) {
      return { body, name };
    }

    @Get('/query')
    query(@Query() q: Record<string, unknown>) {
      return { q };
    }

    @Get('/page')
    page(@Query('page') page: number) {
      return { page, type: typeof page };
    }

    @Post('/price')
    price(@Body('price') price: number) {
      return { price };
    }

    @Get('/flag')
    flag(@Query('flag') flag: boolean) {
      return { flag, type: typeof flag };
    }

    @Get('/str/{id}')
    strParam(@Param('id') id: string) {
      return { id, type: typeof id };
    }

    @Get('/num/{id}')
    numParam(@Param('id') id: number) {
      return { id, type: typeof id };
    }

    @Get('/header')
    header(@Header('x-a') a: string, @Header('X-Api-Key') key: string) {
      return { a: a ?? null, key: key ?? null };
    }
  }

  let app: App;

  beforeEach(() => {
    app = new App({ controllers: [PartsController], logger: false });
  });

  afterEach(async () => {
    await app.close();
  });

  test('@Body() is the parsed body and @Body("field") one field of it', async () => {
    const res = await app.inject({ method: 'POST', url: '/parts/body', payload: { name: 'pen', price: 1 } });

    expect(res.json()).toEqual({ body: { name: 'pen', price: 1 }, name: 'pen' });
  });

  test('@Query() is the whole query string as an object', async () => {
    const res = await app.inject({ method: 'GET', url: '/parts/query?a=1&b=x' });

    expect(res.json()).toEqual({ q: { a: '1', b: 'x' } });
  });

  test('@Query("page") page: number converts the value to a number', async () => {
    const res = await app.inject({ method: 'GET', url: '/parts/page?page=3' });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ page: 3, type: 'number' });
  });

  test('@Query("page") page: number answers 422 for a value that is not a number', async () => {
    const res = await app.inject({ method: 'GET', url: '/parts/page?page=abc' });

    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ statusCode: 422 });
    expect(res.json().details[0].path).toBe('page');
  });

  test.each(['Infinity', '-Infinity', 'NaN', `1${'0'.repeat(400)}`, '1e400'])('@Query("page") page: number answers 422 for ?page=%s (not a finite number)', async (value) => {
    const res = await app.inject({ method: 'GET', url: `/parts/page?page=${value}` });

    expect(res.statusCode).toBe(422);
    expect(res.json().details[0].path).toBe('page');
  });

  test.each(['1e400', '-1e400'])('@Body("price") price: number answers 422 for %s in JSON (it parses to Infinity)', async (value) => {
    const res = await app.inject({ method: 'POST', url: '/parts/price', payload: `{"price":${value}}`, headers: { 'content-type': 'application/json' } });

    expect(res.statusCode).toBe(422);
    expect(res.json().details).toEqual([{ path: 'price', messages: ['body parameter price must be a number'] }]);
  });

  test('@Query("flag") flag: boolean reads "false" as false and "true" as true', async () => {
    const no = await app.inject({ method: 'GET', url: '/parts/flag?flag=false' });
    const yes = await app.inject({ method: 'GET', url: '/parts/flag?flag=true' });

    expect(no.json()).toEqual({ flag: false, type: 'boolean' });
    expect(yes.json()).toEqual({ flag: true, type: 'boolean' });
  });

  test('@Param("id") id: string keeps the string', async () => {
    expect((await app.inject({ method: 'GET', url: '/parts/str/007' })).json()).toEqual({ id: '007', type: 'string' });
  });

  test('@Param("id") id: number converts to a number and rejects non-numbers with 422', async () => {
    const ok = await app.inject({ method: 'GET', url: '/parts/num/42' });
    const bad = await app.inject({ method: 'GET', url: '/parts/num/forty-two' });

    expect(ok.json()).toEqual({ id: 42, type: 'number' });
    expect(bad.statusCode).toBe(422);
  });

  test('@Header(name) is case-insensitive both ways', async () => {
    const res = await app.inject({ method: 'GET', url: '/parts/header', headers: { 'X-A': 'upper', 'x-api-key': 'k1' } });

    expect(res.json()).toEqual({ a: 'upper', key: 'k1' });
  });
});

describe('injection', () => {
  const CONFIG = Symbol('config');
  let created = 0;

  @Injectable()
  class Greeter {
    readonly serial = ++created;
    greet(name: string) {
      return `Hello, ${name}`;
    }
  }

  @Controller('/di')
  class InjectionController {
    constructor(private readonly greeter: Greeter) {}

    @Get('/config')
    config(@Inject(CONFIG) config: { mode: string }) {
      return { mode: config.mode };
    }

    @Get('/greet/{name}')
    greet(@Param('name') name: string) {
      return { text: this.greeter.greet(name) };
    }

    @Get('/fresh')
    fresh(@Inject(Greeter) a: Greeter, @Inject(Greeter) b: Greeter) {
      return { distinct: a !== b && a.serial !== b.serial };
    }
  }

  let app: App;

  beforeEach(() => {
    app = new App({ controllers: [InjectionController], logger: false });
    app.container.register(CONFIG, { useValue: { mode: 'test' } });
  });

  afterEach(async () => {
    await app.close();
  });

  test('@Inject(token) gives the value registered on app.container', async () => {
    expect((await app.inject({ method: 'GET', url: '/di/config' })).json()).toEqual({ mode: 'test' });
  });

  test('an @Injectable() service is injected into the controller constructor', async () => {
    expect((await app.inject({ method: 'GET', url: '/di/greet/Ada' })).json()).toEqual({ text: 'Hello, Ada' });
  });

  test('an @Injectable() service is a new instance per resolution', async () => {
    expect((await app.inject({ method: 'GET', url: '/di/fresh' })).json()).toEqual({ distinct: true });
  });
});

describe('parameters that cannot be bound fail at startup', () => {
  test('an undecorated `string` parameter fails with CELLO_ERR_PARAM_UNBOUND naming Controller.method and the position', async () => {
    @Controller('/bad')
    class StringParamController {
      @Get('/{name}')
      show(req: Request, name: string) {
        return { req: req.path, name };
      }
    }
    const app = new App({ controllers: [StringParamController], logger: false });

    const err = await startupError(app);

    expect(err.code).toBe('CELLO_ERR_PARAM_UNBOUND');
    expect(err.message).toContain('StringParamController.show');
    expect(err.message).toMatch(/#1\b/);
    await app.close();
  });

  test('a parameter typed with an interface fails with CELLO_ERR_PARAM_UNBOUND', async () => {
    interface Item {
      name: string;
    }
    @Controller('/bad')
    class InterfaceParamController {
      @Post('/')
      create(item: Item) {
        return item;
      }
    }
    const app = new App({ controllers: [InterfaceParamController], logger: false });

    const err = await startupError(app);

    expect(err.code).toBe('CELLO_ERR_PARAM_UNBOUND');
    expect(err.message).toContain('InterfaceParamController.create');
    expect(err.message).toMatch(/#0\b/);
    await app.close();
  });

  test('a parameter typed with the global fetch Request fails with CELLO_ERR_PARAM_FETCH_TYPE', async () => {
    @Controller('/bad')
    class FetchRequestController {
      @Get('/')
      show(req: globalThis.Request) {
        return { url: req.url };
      }
    }
    const app = new App({ controllers: [FetchRequestController], logger: false });

    const err = await startupError(app);

    expect(err.code).toBe('CELLO_ERR_PARAM_FETCH_TYPE');
    expect(err.message).toContain('FetchRequestController.show');
    expect(err.message).toContain('@cello/core');
    await app.close();
  });
});
