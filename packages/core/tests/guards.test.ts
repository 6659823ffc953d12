import { IsNumber, IsString, Min } from 'class-validator';
import { SignJWT, type JWTPayload } from 'jose';
import {
  App,
  Authenticated,
  Controller,
  Depends,
  Get,
  Guards,
  HttpError,
  Injectable,
  Post,
  Public,
  Request,
  RoleGuard,
  Singleton,
  type Guard,
  type RequestContext,
} from '@cello/core';
import { until } from './helpers/gate';

const secret = 'a-test-secret-that-is-long-enough-for-hs256!';

function token(claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(secret));
}

async function bearer(claims: JWTPayload) {
  return { authorization: `Bearer ${await token(claims)}` };
}

/** A guard that records its name when asked and answers `allow` (sync or async). */
function recording(name: string, log: string[], allow: boolean | (() => Promise<boolean>) = true): Guard {
  return {
    canActivate() {
      log.push(name);
      return typeof allow === 'function' ? allow() : allow;
    },
  };
}

describe('the Guard interface', () => {
  let app: App;

  beforeEach(() => {
    app = new App({ logger: false });
  });

  afterEach(async () => {
    await app.close();
  });

  test('a sync guard returning true lets the request through', async () => {
    app.get('/ok', () => ({ ok: true }), { guards: [{ canActivate: () => true }] });

    const res = await app.inject({ method: 'GET', url: '/ok' });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
  });

  test('false answers 403 JSON, and the handler never runs', async () => {
    let ran = false;
    class Closed implements Guard {
      canActivate() { return false; }
    }
    app.get('/closed', () => { ran = true; }, { guards: [new Closed()] });

    const res = await app.inject({ method: 'GET', url: '/closed' });

    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ statusCode: 403, error: 'Forbidden', message: 'Access denied by Closed' });
    expect(ran).toBe(false);
  });

  test('an async guard is awaited, for true and for false', async () => {
    app.get('/yes', () => ({ ok: true }), { guards: [{ canActivate: async () => { await new Promise((r) => setTimeout(r, 5)); return true; } }] });
    app.get('/no', () => ({ ok: true }), { guards: [{ canActivate: async () => false }] });

    expect((await app.inject({ method: 'GET', url: '/yes' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/no' })).statusCode).toBe(403);
  });

  test('a thrown HttpError passes through as the response, headers included', async () => {
    const guard: Guard = {
      canActivate() {
        throw new HttpError(402, 'Subscription needed', { plan: 'pro' }, { headers: { 'x-upgrade': '/billing' } });
      },
    };
    app.get('/pro', () => ({ ok: true }), { guards: [guard] });

    const res = await app.inject({ method: 'GET', url: '/pro' });

    expect(res.statusCode).toBe(402);
    expect(res.json()).toEqual({ statusCode: 402, error: 'Payment Required', message: 'Subscription needed', details: { plan: 'pro' } });
    expect(res.headers['x-upgrade']).toBe('/billing');
  });

  test('an async guard rejecting with an HttpError passes through too; any other error is a 500', async () => {
    app.get('/teapot', () => ({}), { guards: [{ canActivate: async () => { throw new HttpError(418, 'short and stout'); } }] });
    app.get('/broken', () => ({}), { guards: [{ canActivate: () => { throw new Error('db password wrong'); } }] });

    const teapot = await app.inject({ method: 'GET', url: '/teapot' });
    const broken = await app.inject({ method: 'GET', url: '/broken' });

    expect(teapot.statusCode).toBe(418);
    expect(broken.statusCode).toBe(500);
    expect(broken.body).not.toContain('db password');
  });

  test('a guard sees the request through ctx.request', async () => {
    const apiKey: Guard = { canActivate: (ctx) => ctx.request.header('x-api-key') === 'sesame' };
    app.get('/keyed', () => ({ ok: true }), { guards: [apiKey] });

    expect((await app.inject({ method: 'GET', url: '/keyed', headers: { 'x-api-key': 'sesame' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/keyed', headers: { 'x-api-key': 'nope' } })).statusCode).toBe(403);
  });

  test('a guard class without canActivate is a startup error', async () => {
    class NotAGuard {}
    app.get('/x', () => ({}), { guards: [NotAGuard as never] });

    await expect(app.ready()).rejects.toMatchObject({ code: 'CELLO_ERR_GUARD_INVALID' });
  });

  test('@Guards() rejects what is not a guard', () => {
    expect(() => Guards({} as never)).toThrow(expect.objectContaining({ code: 'CELLO_ERR_GUARD_CONFIG' }));
  });
});

describe('@Guards on classes and methods', () => {
  test('class guards run before method guards, then route-option guards, each in the order written', async () => {
    const log: string[] = [];

    @Guards(recording('class 1', log), recording('class 2', log))
    @Controller('/admin')
    class AdminController {
      @Guards(recording('method 1', log), recording('method 2', log))
      @Get('/stats', { guards: [recording('option', log)] })
      stats() {
        log.push('handler');
        return { ok: true };
      }

      @Get('/plain')
      plain() {
        log.push('plain handler');
        return { ok: true };
      }
    }
    const app = new App({ controllers: [AdminController], logger: false });

    await app.inject({ method: 'GET', url: '/admin/stats' });
    expect(log).toEqual(['class 1', 'class 2', 'method 1', 'method 2', 'option', 'handler']);

    log.length = 0;
    await app.inject({ method: 'GET', url: '/admin/plain' });
    expect(log).toEqual(['class 1', 'class 2', 'plain handler']);
    await app.close();
  });

  test('the first guard that denies stops the chain', async () => {
    const log: string[] = [];

    @Guards(recording('class', log, async () => false))
    @Controller('/locked')
    class LockedController {
      @Guards(recording('method', log))
      @Get('/')
      get() {
        log.push('handler');
      }
    }
    const app = new App({ controllers: [LockedController], logger: false });

    const res = await app.inject({ method: 'GET', url: '/locked' });

    expect(res.statusCode).toBe(403);
    expect(log).toEqual(['class']);
    await app.close();
  });

  test('a subclass inherits its base class guards, base first', async () => {
    const log: string[] = [];

    @Guards(recording('base', log))
    class BaseController {}

    @Guards(recording('sub', log))
    @Controller('/sub')
    class SubController extends BaseController {
      @Get('/')
      get() {
        log.push('handler');
        return {};
      }
    }
    const app = new App({ controllers: [SubController], logger: false });

    await app.inject({ method: 'GET', url: '/sub' });

    expect(log).toEqual(['base', 'sub', 'handler']);
    await app.close();
  });
});

describe('RoleGuard and Authenticated with JWT', () => {
  @Controller('/items')
  class ItemsController {
    @Post('/', { guards: [new RoleGuard(['editor'])], status: 201 })
    create() {
      return { created: true };
    }

    @Guards(new RoleGuard(['admin', 'owner']))
    @Get('/admin')
    admin() {
      return { admin: true };
    }

    @Guards(new RoleGuard(['items:write'], { claim: 'realm_access.roles' }))
    @Get('/keycloak')
    keycloak() {
      return { ok: true };
    }

    @Guards(new RoleGuard(['items:read'], { claim: 'scope' }))
    @Get('/scoped')
    scoped() {
      return { ok: true };
    }

    @Guards(Authenticated)
    @Get('/mine')
    mine(req: Request) {
      return { sub: req.user.sub };
    }
  }

  let app: App;

  beforeEach(() => {
    app = new App({ controllers: [ItemsController], logger: false });
    app.enableJwt({ secret, algorithms: ['HS256'] });
  });

  afterEach(async () => {
    await app.close();
  });

  test('an editor passes', async () => {
    const res = await app.inject({ method: 'POST', url: '/items', headers: await bearer({ sub: 'u1', roles: ['viewer', 'editor'] }) });

    expect(res.statusCode).toBe(201);
  });

  test('a viewer is 403', async () => {
    const res = await app.inject({ method: 'POST', url: '/items', headers: await bearer({ sub: 'u1', roles: ['viewer'] }) });

    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ statusCode: 403, error: 'Forbidden' });
  });

  test('no user is 401 with WWW-Authenticate: Bearer', async () => {
    const res = await app.inject({ method: 'POST', url: '/items' });

    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  test('any of the listed roles passes', async () => {
    expect((await app.inject({ method: 'GET', url: '/items/admin', headers: await bearer({ roles: ['owner'] }) })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/items/admin', headers: await bearer({ roles: ['editor'] }) })).statusCode).toBe(403);
  });

  test('a user without the claim, or with a non-list claim, is 403', async () => {
    expect((await app.inject({ method: 'POST', url: '/items', headers: await bearer({ sub: 'u1' }) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/items', headers: await bearer({ roles: { editor: true } }) })).statusCode).toBe(403);
    // A string claim is split on spaces (OAuth `scope` style), not searched as a substring.
    expect((await app.inject({ method: 'POST', url: '/items', headers: await bearer({ roles: 'not-an-editor' }) })).statusCode).toBe(403);
  });

  test('the claim option takes a dotted path', async () => {
    const ok = await app.inject({ method: 'GET', url: '/items/keycloak', headers: await bearer({ realm_access: { roles: ['items:write'] } }) });
    const flat = await app.inject({ method: 'GET', url: '/items/keycloak', headers: await bearer({ 'realm_access.roles': ['items:write'] }) });
    const wrong = await app.inject({ method: 'GET', url: '/items/keycloak', headers: await bearer({ realm_access: { roles: ['items:read'] } }) });

    expect(ok.statusCode).toBe(200);
    expect(flat.statusCode).toBe(403);
    expect(wrong.statusCode).toBe(403);
  });

  test('a space-separated scope claim works', async () => {
    const ok = await app.inject({ method: 'GET', url: '/items/scoped', headers: await bearer({ scope: 'openid items:read profile' }) });

    expect(ok.statusCode).toBe(200);
  });

  test('Authenticated needs a user: 401 without, 200 with any valid token', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/items/mine' });
    const user = await app.inject({ method: 'GET', url: '/items/mine', headers: await bearer({ sub: 'u7' }) });

    expect(anonymous.statusCode).toBe(401);
    expect(user.statusCode).toBe(200);
    expect(user.json()).toEqual({ sub: 'u7' });
  });

  test('an invalid token is stopped by JWT (401) before any guard', async () => {
    const res = await app.inject({ method: 'POST', url: '/items', headers: { authorization: 'Bearer forged' } });

    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  test('RoleGuard needs at least one role', () => {
    expect(() => new RoleGuard([])).toThrow(expect.objectContaining({ code: 'CELLO_ERR_GUARD_CONFIG' }));
  });
});

describe('RoleGuard and Authenticated on @Public routes', () => {
  test('@Public skips JWT, so a role guard there sees no user: 401', async () => {
    @Controller('/p')
    class PublicController {
      @Public()
      @Guards(new RoleGuard(['editor']))
      @Get('/')
      get() { return { ok: true }; }
    }
    const app = new App({ controllers: [PublicController], logger: false });
    app.enableJwt({ secret, algorithms: ['HS256'] });

    const res = await app.inject({ method: 'GET', url: '/p', headers: await bearer({ roles: ['editor'] }) });

    expect(res.statusCode).toBe(401);
    await app.close();
  });
});

describe('guard classes from the container', () => {
  test('an @Injectable() guard class is resolved from the app container with its services', async () => {
    @Singleton()
    class Allowlist {
      readonly ips = new Set(['10.0.0.1']);
    }

    @Injectable()
    class AllowlistGuard implements Guard {
      constructor(private readonly allowlist: Allowlist) {}

      canActivate(ctx: RequestContext) {
        return this.allowlist.ips.has(ctx.request.ip);
      }
    }

    @Guards(AllowlistGuard)
    @Controller('/internal')
    class InternalController {
      @Get('/')
      get() { return { ok: true }; }
    }
    const app = new App({ controllers: [InternalController], logger: false });
    // The app's container, not the global one: an override here is what the guard gets.
    const testList = new Allowlist();
    testList.ips.add('10.0.0.2');
    app.container.register(Allowlist, { useValue: testList });

    expect((await app.inject({ method: 'GET', url: '/internal', remoteAddress: '10.0.0.2' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/internal', remoteAddress: '10.0.0.9' })).statusCode).toBe(403);
    await app.close();
  });

  test('a guard class whose dependency cannot be resolved is a startup error naming it', async () => {
    interface Missing { x: number }
    @Injectable()
    class NeedsMissing implements Guard {
      constructor(readonly m: Missing) {}
      canActivate() { return true; }
    }
    const app = new App({ logger: false });
    app.get('/x', () => ({}), { guards: [NeedsMissing] });

    await expect(app.ready()).rejects.toMatchObject({ code: 'CELLO_ERR_DI_UNRESOLVED', message: expect.stringContaining('NeedsMissing') });
  });
});

describe('a denied request', () => {
  class CreateItem {
    @IsString()
    name!: string;

    @IsNumber()
    @Min(0)
    price!: number;
  }

  test('never runs body validation: an invalid body still gets 403, not 422', async () => {
    let ran = false;
    @Controller('/items')
    class ItemsController {
      @Post('/', { guards: [{ canActivate: () => false }] })
      create(item: CreateItem) {
        ran = true;
        return item;
      }

      @Post('/open')
      open(item: CreateItem) {
        return item;
      }
    }
    const app = new App({ controllers: [ItemsController], logger: false });

    const denied = await app.inject({ method: 'POST', url: '/items', payload: { name: 42, price: -1 } });
    const open = await app.inject({ method: 'POST', url: '/items/open', payload: { name: 42, price: -1 } });

    expect(denied.statusCode).toBe(403);
    expect(ran).toBe(false);
    expect(open.statusCode).toBe(422);
    await app.close();
  });

  test('never runs its parameters\' dependencies or the handler', async () => {
    const events: string[] = [];
    async function audit() { events.push('audit dependency'); return 'a'; }
    @Controller('/x')
    class XController {
      @Get('/', { guards: [{ canActivate: () => false }] })
      get(@Depends(audit) a: string) { events.push(`handler ${a}`); }
    }
    const app = new App({ controllers: [XController], logger: false });

    expect((await app.inject({ method: 'GET', url: '/x' })).statusCode).toBe(403);
    expect(events).toEqual([]);
    await app.close();
  });

  test('still cleans up a dependency the guard resolved (the generator\'s finally runs)', async () => {
    const events: string[] = [];
    async function* session() {
      events.push('open');
      try {
        yield { userId: null };
      } finally {
        events.push('close');
      }
    }
    const sessionGuard: Guard = {
      async canActivate(ctx) {
        const s = await ctx.resolve(session);
        return s.userId !== null;
      },
    };
    const app = new App({ logger: false });
    app.get('/me', () => ({}), { guards: [sessionGuard] });

    const res = await app.inject({ method: 'GET', url: '/me' });
    await until(() => events.length === 2);

    expect(res.statusCode).toBe(403);
    expect(events).toEqual(['open', 'close']);
    await app.close();
  });

  test('a dependency a guard resolved is the same one the handler gets (resolved once per request)', async () => {
    let opened = 0;
    async function* db() { opened++; yield { id: opened }; }
    const guard: Guard = { async canActivate(ctx) { return (await ctx.resolve(db)).id > 0; } };
    @Controller('/x')
    class XController {
      @Get('/', { guards: [guard] })
      get(@Depends(db) conn: { id: number }) { return { id: conn.id }; }
    }
    const app = new App({ controllers: [XController], logger: false });

    const res = await app.inject({ method: 'GET', url: '/x' });

    expect(res.json()).toEqual({ id: 1 });
    expect(opened).toBe(1);
    await app.close();
  });
});
