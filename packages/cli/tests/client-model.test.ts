import { CliError } from '../src/cli-error';
import { buildModel, controllerProperty } from '../src/client/model';

const row = (fields: Record<string, unknown>) => ({ kind: 'http', methods: ['GET'], path: '/', controller: null, propertyKey: null, params: [], options: {}, ...fields });

describe('the client model', () => {
  test.each([
    ['ItemsController', 'items'],
    ['APIKeysController', 'apiKeys'],
    ['HTTPController', 'http'],
    ['Users', 'users'],
    ['Controller', 'controller'],
  ])('%s is api.%s', (name, property) => {
    expect(controllerProperty(name)).toBe(property);
  });

  test('a method serving two routes keeps its name on the first and gets a number on the next', () => {
    class ItemsController {}
    const model = buildModel([
      row({ path: '/items', controller: ItemsController, propertyKey: 'list' }),
      row({ path: '/products', controller: ItemsController, propertyKey: 'list' }),
    ]);
    expect(model.controllers[0]!.routes.map((r) => [r.member, r.path])).toEqual([['list', '/items'], ['list2', '/products']]);
  });

  test('paths in {param} form, HEAD left out, the parameters the client sends and nothing else', () => {
    class UsersController {}
    const model = buildModel([row({
      methods: ['GET', 'HEAD'], path: '/users/:id', controller: UsersController, propertyKey: 'get',
      params: [
        { index: 0, kind: 'param', name: 'id', isDto: false },
        { index: 1, kind: 'request', isDto: false },
        { index: 2, kind: 'depends', isDto: false },
        { index: 3, kind: 'query', isDto: true },
        { index: 4, kind: 'inject', isDto: false },
        { index: 5, kind: 'background', isDto: false },
      ],
    })]);
    expect(model.controllers[0]!.routes[0]).toMatchObject({
      method: 'GET', path: '/users/{id}', pathNames: ['id'], readsRequest: true,
      params: [{ index: 0, part: 'params', name: 'id', isDto: false }, { index: 3, part: 'query', isDto: true }],
    });
  });

  test('websocket, server-sent events and multipart routes are listed as left out', () => {
    class ChatController {}
    const model = buildModel([
      row({ kind: 'websocket', path: '/chat', controller: ChatController, propertyKey: 'chat' }),
      row({ kind: 'sse', path: '/events', controller: ChatController, propertyKey: 'events' }),
      row({ methods: ['POST'], path: '/upload', controller: ChatController, propertyKey: 'upload', params: [{ index: 0, kind: 'file', name: 'f', isDto: false }] }),
    ]);
    expect(model.controllers).toEqual([]);
    expect(model.skipped).toEqual(['GET /chat (a websocket)', 'GET /events (server-sent events)', 'POST /upload (multipart: send FormData with fetch)']);
  });

  test('a controller that would be api.routes is an error', () => {
    class RoutesController {}
    expect(() => buildModel([row({ controller: RoutesController, propertyKey: 'list' })])).toThrow(CliError);
    expect(() => buildModel([row({ controller: RoutesController, propertyKey: 'list' })])).toThrow(/api\.routes, which holds the functional routes: rename the class/);
  });
});
