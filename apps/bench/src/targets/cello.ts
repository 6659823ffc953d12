// Cello as its users write it: a controller with a class-validator DTO, a @Singleton service,
// an async-generator dependency, a guard, a cached route, and a route behind JWT + RoleGuard +
// rate limit (the only one JWT and the limit apply to, as in the other targets).
import {
  App, Cache, Controller, Depends, Get, Guards, Param, Post, Public, Query, RateLimit, RateLimitConfig,
  Request, RequestContext, RoleGuard, Singleton, type Guard,
} from '@cello/core';
import { buildReport, Catalog } from '../fixtures/catalog.js';
import { jwtSecret } from '../fixtures/jwt.js';
import { rateLimit } from '../fixtures/rate-limit.js';
import { CreateItem } from '../fixtures/create-item.js';
import { CreateOffer } from '../fixtures/create-offer.js';
import { pool, type Connection } from '../fixtures/pool.js';
import { host, port } from '../fixtures/port.js';
import { enableVariants, variantOptions } from './cello-variants.js';

@Singleton()
class CatalogService {
  readonly #catalog = new Catalog();

  list() {
    return this.#catalog.list();
  }
}

async function* getConn() {
  const conn = await pool.acquire();
  try {
    yield conn;
  } finally {
    pool.release(conn);
  }
}

class EditorHeaderGuard implements Guard {
  canActivate(ctx: RequestContext): boolean {
    return ctx.request.header('x-role') === 'editor';
  }
}

@Public()
@Controller('/')
class BenchController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('/hello')
  hello() {
    return { message: 'Hello, World!' };
  }

  @Get('/users/{id}')
  user(@Param('id') id: string, @Query('fields') fields: string) {
    return { id, fields };
  }

  @Post('/items', { status: 201 })
  create(item: CreateItem) {
    return item;
  }

  @Post('/offers', { status: 201 })
  offer(offer: CreateOffer) {
    return offer;
  }

  @Get('/service')
  service() {
    return { items: this.catalog.list() };
  }

  @Get('/dep')
  dep(@Depends(getConn) conn: Connection) {
    return { db: conn.database };
  }

  @Get('/guarded')
  @Guards(new EditorHeaderGuard())
  guarded() {
    return { items: this.catalog.list() };
  }

  @Get('/cached')
  @Cache({ ttl: 60 })
  cached() {
    return buildReport();
  }
}

@Controller('/')
class AccountController {
  @Get('/me', { guards: [new RoleGuard(['editor'])] })
  @RateLimit(RateLimitConfig.slidingWindow({ requests: rateLimit.max, window: rateLimit.windowSeconds }))
  me(req: Request) {
    return { user: req.user.sub, roles: req.user.roles };
  }
}

const app = new App({ ...variantOptions(), controllers: [BenchController, AccountController], logger: false });
app.enableJwt({ secret: jwtSecret, algorithms: ['HS256'] });
enableVariants(app);
void app.listen({ port, host });
