import { IsString } from 'class-validator';
import { App, Body, Controller, Get, Guards, Param, Post, Query, RateLimit, RateLimitConfig, type Guard } from '@cello/core';
import { docsApp } from './helpers/docs-app';
import { validateOpenApi } from './helpers/validate-openapi';

async function documentOf(app: App): Promise<Record<string, any>> {
  const res = await app.inject('/openapi.json');
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return JSON.parse(res.body);
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

describe('/openapi.json for the sample app', () => {
  let app: App;
  let doc: Record<string, any>;

  beforeAll(async () => {
    app = docsApp();
    doc = await documentOf(app);
  });
  afterAll(() => app.close());

  test('is a valid OpenAPI 3.1 document (checked against the official schema)', () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = validateOpenApi(doc);
    expect(result.errors).toBeNull();
    expect(result).toMatchObject({ valid: true, version: '3.1' });
    // The validator does reject a broken document.
    expect(validateOpenApi({ ...doc, info: undefined }).valid).toBe(false);
  });

  test('has the info from enableDocs()', () => {
    expect(doc.info).toEqual({ title: 'Sample API', version: '2.1.0', description: 'The docs test app.' });
  });

  test('lists every route in {param} syntax, and not the docs\' own routes', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(['/admin/stats', '/auth/login', '/echo', '/health', '/items/{itemId}', '/users', '/users/{id}']);
    expect(Object.keys(doc.paths['/users']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/users/{id}']).sort()).toEqual(['delete', 'get']);
    expect(JSON.stringify(doc)).not.toMatch(/openapi\.json|\/docs/);
  });

  test('describes path, header and query parameters with their types', () => {
    expect(doc.paths['/users/{id}'].get.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'number' } },
      { name: 'x-trace', in: 'header', required: false, schema: { type: 'string' } },
    ]);
    // From the query DTO's properties.
    expect(doc.paths['/users'].get.parameters).toEqual([
      { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } },
      { name: 'active', in: 'query', required: false, schema: { type: 'boolean' } },
      { name: 'sort', in: 'query', required: false, schema: { type: 'string', enum: ['name', 'email'] } },
    ]);
    // A functional route's path parameter is a string.
    expect(doc.paths['/items/{itemId}'].get.parameters).toEqual([{ name: 'itemId', in: 'path', required: true, schema: { type: 'string' } }]);
  });

  test('takes request bodies from body DTOs, with nested DTOs and arrays as components', () => {
    expect(doc.paths['/users'].post.requestBody).toEqual({ required: true, content: { 'application/json': { schema: ref('CreateUserDto') } } });
    expect(doc.paths['/auth/login'].post.requestBody.content['application/json'].schema).toEqual(ref('CredentialsDto'));
    const { schemas } = doc.components;
    expect(schemas.CreateUserDto).toMatchObject({
      type: 'object',
      required: ['name', 'email', 'address', 'phones'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 40 },
        email: { type: 'string', format: 'email' },
        age: { type: 'integer', minimum: 0, maximum: 150 },
        address: ref('AddressDto'),
        phones: { type: 'array', maxItems: 5, items: ref('PhoneDto') },
        nicknames: { type: 'array', items: { type: 'string' } },
      },
    });
    expect(schemas.AddressDto).toMatchObject({ type: 'object', required: ['street', 'city'] });
    expect(schemas.PhoneDto.properties.kind).toEqual({ type: 'string', enum: ['home', 'work'] });
    expect(JSON.stringify(doc)).not.toContain('#/definitions/');
    expect(doc.paths['/health'].get.requestBody).toBeUndefined();
  });

  test('takes response schemas from the response option, and the declared success status', () => {
    expect(doc.paths['/users/{id}'].get.responses['200']).toEqual({ description: 'OK', content: { 'application/json': { schema: ref('UserDto') } } });
    expect(doc.paths['/users'].get.responses['200'].content['application/json'].schema).toEqual({ type: 'array', items: ref('UserDto') });
    expect(doc.paths['/users'].post.responses['201']).toEqual({ description: 'Created', content: { 'application/json': { schema: ref('UserDto') } } });
    expect(doc.paths['/users'].post.responses['200']).toBeUndefined();
    expect(doc.paths['/users/{id}'].delete.responses['204']).toEqual({ description: 'No Content' });
    expect(doc.paths['/health'].get.responses['200']).toEqual({ description: 'OK' });
    expect(doc.components.schemas.UserDto).toMatchObject({ type: 'object', properties: { id: { type: 'integer' } } });
  });

  test('lists 401/403/422/429 where a route can answer them', () => {
    const codes = (op: { responses: object }) => Object.keys(op.responses).sort();
    const { paths } = doc;
    // JWT applies (optional token), a converted number parameter, the app's rate limit.
    expect(codes(paths['/users/{id}'].get)).toEqual(['200', '401', '422', '429']);
    // A route guard: 403, and 401 (RoleGuard without a user).
    expect(codes(paths['/users/{id}'].delete)).toEqual(['204', '401', '403', '429']);
    // @Public with its own @RateLimit: no 401.
    expect(codes(paths['/auth/login'].post)).toEqual(['200', '422', '429']);
    expect(codes(paths['/admin/stats'].get)).toEqual(['200', '401', '403', '429']);
    // @Public and @SkipRateLimit: nothing can fail but the handler.
    expect(codes(paths['/health'].get)).toEqual(['200']);
    expect(codes(paths['/items/{itemId}'].get)).toEqual(['200', '429']);
    expect(paths['/users/{id}'].get.responses['422']).toEqual(errorRef('ValidationFailed'));
    expect(paths['/users/{id}'].get.responses['429']).toEqual(errorRef('TooManyRequests'));
  });

  test('shares the error body { statusCode, error, message, details? } as a component', () => {
    expect(doc.components.schemas.ErrorBody).toMatchObject({
      type: 'object',
      required: ['statusCode', 'error', 'message'],
      properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' }, details: {} },
    });
    const { responses } = doc.components;
    expect(Object.keys(responses).sort()).toEqual(['Forbidden', 'TooManyRequests', 'Unauthorized', 'ValidationFailed']);
    expect(responses.Unauthorized.content['application/json'].schema).toEqual(ref('ErrorBody'));
    expect(responses.ValidationFailed.content['application/json'].schema.allOf).toEqual([
      ref('ErrorBody'),
      { properties: { details: { type: 'array', items: ref('FieldError') } } },
    ]);
    expect(responses.TooManyRequests.headers['Retry-After'].schema).toEqual({ type: 'integer' });
  });

  test('has a bearer security scheme on the routes JWT authenticates', () => {
    expect(doc.components.securitySchemes).toEqual({ bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
    const { paths } = doc;
    // With a guard the token is needed; without one the route also answers anonymous requests.
    expect(paths['/admin/stats'].get.security).toEqual([{ bearerAuth: [] }]);
    expect(paths['/users/{id}'].delete.security).toEqual([{ bearerAuth: [] }]);
    expect(paths['/users/{id}'].get.security).toEqual([{ bearerAuth: [] }, {}]);
    expect(paths['/echo'].post.security).toEqual([{ bearerAuth: [] }, {}]);
    expect(paths['/auth/login'].post.security).toBeUndefined();
    expect(paths['/health'].get.security).toBeUndefined();
    expect(doc.security).toBeUndefined();
  });

  test('tags operations by controller (its tags option, else its name) and carries route options', () => {
    expect(doc.tags).toEqual([{ name: 'Users' }, { name: 'Auth' }, { name: 'Admin' }, { name: 'Health' }, { name: 'Items' }]);
    expect(doc.paths['/users'].get.tags).toEqual(['Users']);
    expect(doc.paths['/auth/login'].post.tags).toEqual(['Auth']);
    expect(doc.paths['/echo'].post.tags).toBeUndefined();
    expect(doc.paths['/users/{id}'].get).toMatchObject({ summary: 'Get a user', description: 'One user by id.', operationId: 'UsersController_get' });
    expect(doc.paths['/echo'].post).toMatchObject({ summary: 'Echo the body', operationId: 'post_echo' });
    expect(doc.paths['/users/{id}'].delete.deprecated).toBe(true);
    expect(doc.paths['/users/{id}'].get.deprecated).toBeUndefined();
    const ids = Object.values(doc.paths).flatMap((item: any) => Object.values(item).map((op: any) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('is built once, at startup', async () => {
    const again = await app.inject('/openapi.json');
    expect(again.body).toBe(JSON.stringify(doc));
  });
});

describe('/openapi.json for other apps', () => {
  class NoteDto {
    @IsString() text!: string;
  }
  const deny: Guard = { canActivate: () => false };

  test('without JWT or an app rate limit: no security scheme, and 401/429 only from guards and @RateLimit', async () => {
    @Controller('/notes')
    class NotesController {
      @Get('/') list() { return []; }
      @Guards(deny) @Post('/') add(@Body() note: NoteDto) { return note; }
      @RateLimit(RateLimitConfig.tokenBucket({ requests: 1, window: 1 })) @Get('/{id}') one(@Param('id') id: string) { return { id }; }
    }
    const app = new App({ controllers: [NotesController], logger: false, handleSignals: false });
    app.enableDocs({ title: 'Notes', version: '0.1.0' });
    const doc = await documentOf(app);
    expect(validateOpenApi(doc).valid).toBe(true);
    expect(doc.components.securitySchemes).toBeUndefined();
    expect(Object.keys(doc.paths['/notes'].get.responses)).toEqual(['200']);
    expect(Object.keys(doc.paths['/notes'].post.responses)).toEqual(['200', '401', '403', '422']);
    expect(doc.paths['/notes'].post.security).toBeUndefined();
    expect(Object.keys(doc.paths['/notes/{id}'].get.responses)).toEqual(['200', '429']);
    expect(doc.paths['/notes'].get.tags).toEqual(['Notes']);
    await app.close();
  });

  test('named body fields and an untyped body become a JSON request body', async () => {
    @Controller('/misc', { tags: [] })
    class MiscController {
      @Post('/fields') fields(@Body('name') name: string, @Body('count') count: number) { return { name, count }; }
      @Post('/raw') raw(@Body() body: unknown, @Query('dry') dry: boolean) { return { body, dry }; }
    }
    const app = new App({ controllers: [MiscController], logger: false, handleSignals: false });
    app.enableDocs();
    const doc = await documentOf(app);
    expect(validateOpenApi(doc).valid).toBe(true);
    expect(doc.paths['/misc/fields'].post.requestBody.content['application/json'].schema).toEqual({
      type: 'object', properties: { name: { type: 'string' }, count: { type: 'number' } },
    });
    expect(doc.paths['/misc/raw'].post.requestBody).toEqual({ required: false, content: { 'application/json': { schema: {} } } });
    expect(doc.paths['/misc/raw'].post.parameters).toEqual([{ name: 'dry', in: 'query', required: false, schema: { type: 'boolean' } }]);
    expect(doc.paths['/misc/raw'].post.tags).toBeUndefined();
    expect(doc.tags).toBeUndefined();
    await app.close();
  });

  test('two DTO classes with one name fail at startup with CELLO_ERR_DOCS_SCHEMA_CONFLICT', async () => {
    const first = (() => { class Item { @IsString() a!: string; } return Item; })();
    const second = (() => { class Item { @IsString() b!: string; } return Item; })();
    @Controller('/')
    class ClashController {
      @Post('/a') a(@Body() item: InstanceType<typeof first>) { return item; }
      @Post('/b') b(@Body() item: InstanceType<typeof second>) { return item; }
    }
    // swc records the declared type; point each parameter at its class explicitly.
    Reflect.defineMetadata('design:paramtypes', [first], ClashController.prototype, 'a');
    Reflect.defineMetadata('design:paramtypes', [second], ClashController.prototype, 'b');
    const app = new App({ controllers: [ClashController], logger: false, handleSignals: false });
    app.enableDocs();
    await expect(app.ready()).rejects.toMatchObject({ code: 'CELLO_ERR_DOCS_SCHEMA_CONFLICT', message: expect.stringContaining('Item') });
  });

  test('enableDocs() after start is CELLO_ERR_ROUTE_AFTER_START, and bad options are CELLO_ERR_DOCS_CONFIG', async () => {
    const app = new App({ logger: false, handleSignals: false });
    expect(() => app.enableDocs({ title: 42 as unknown as string })).toThrow(expect.objectContaining({ code: 'CELLO_ERR_DOCS_CONFIG' }));
    await app.ready();
    expect(() => app.enableDocs()).toThrow(expect.objectContaining({ code: 'CELLO_ERR_ROUTE_AFTER_START' }));
    await app.close();
  });
});

describe('app.openApiDocument()', () => {
  test('is the document /openapi.json serves, built without starting the app', async () => {
    const app = docsApp();
    const built = app.openApiDocument();
    expect(await documentOf(app)).toEqual(JSON.parse(JSON.stringify(built)));
    await app.close();
  });

  test('without enableDocs(), has the default title and version, and the app serves nothing', async () => {
    @Controller('/things')
    class ThingsController {
      @Get('/') list() { return []; }
    }
    const app = new App({ controllers: [ThingsController], logger: false });
    const doc = app.openApiDocument();
    expect(doc.info).toEqual({ title: 'API', version: '1.0.0' });
    expect(Object.keys(doc.paths)).toEqual(['/things']);
    expect((await app.inject('/openapi.json')).statusCode).toBe(404);
    await app.close();
  });
});
