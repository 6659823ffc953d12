// The NestJS version of the bench routes, shared by the fastify and express platforms so the
// two Nest targets differ only in their HTTP adapter.
import { CacheInterceptor, CacheModule, CacheTTL } from '@nestjs/cache-manager';
import { Body, Controller, Get, Header, Injectable, Module, Param, Post, Query, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { buildReport, Catalog } from '../../fixtures/catalog.js';
import { CreateItem } from '../../fixtures/create-item.js';
import { CreateOffer } from '../../fixtures/create-offer.js';
import { jwtSecret, type Claims } from '../../fixtures/jwt.js';
import { pool } from '../../fixtures/pool.js';
import { rateLimit } from '../../fixtures/rate-limit.js';
import { EditorHeaderGuard, JwtAuthGuard, Roles, RolesGuard } from './guards.js';

const cacheSeconds = 60;

@Injectable()
export class CatalogService {
  readonly #catalog = new Catalog();

  list() {
    return this.#catalog.list();
  }
}

@Controller()
export class BenchController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('hello')
  hello() {
    return { message: 'Hello, World!' };
  }

  @Get('users/:id')
  user(@Param('id') id: string, @Query('fields') fields: string) {
    return { id, fields };
  }

  // POST answers 201 by default in Nest; the global ValidationPipe validates and strips.
  @Post('items')
  create(@Body() item: CreateItem) {
    return item;
  }

  @Post('offers')
  offer(@Body() offer: CreateOffer) {
    return offer;
  }

  @Get('service')
  service() {
    return { items: this.catalog.list() };
  }

  // Nest has no per-request generator dependencies: acquire and release around the handler.
  @Get('dep')
  async dep() {
    const conn = await pool.acquire();
    try {
      return { db: conn.database };
    } finally {
      pool.release(conn);
    }
  }

  @Get('guarded')
  @UseGuards(EditorHeaderGuard)
  guarded() {
    return { items: this.catalog.list() };
  }

  // CacheInterceptor stores the returned value; a hit skips the handler.
  @Get('cached')
  @UseInterceptors(CacheInterceptor)
  @CacheTTL(cacheSeconds * 1000)
  @Header('cache-control', `max-age=${cacheSeconds}`)
  cached() {
    return buildReport();
  }

  // Guards run in order: the limit counts every request, then authentication, then the role.
  @Get('me')
  @UseGuards(ThrottlerGuard, JwtAuthGuard, RolesGuard)
  @Roles('editor')
  me(@Req() req: { user: Claims }) {
    return { user: req.user.sub, roles: req.user.roles };
  }
}

@Module({
  imports: [
    CacheModule.register(),
    JwtModule.register({ secret: jwtSecret, verifyOptions: { algorithms: ['HS256'] } }),
    ThrottlerModule.forRoot([{ ttl: rateLimit.windowSeconds * 1000, limit: rateLimit.max }]),
  ],
  controllers: [BenchController],
  providers: [CatalogService, EditorHeaderGuard, JwtAuthGuard, RolesGuard],
})
export class BenchModule {}
