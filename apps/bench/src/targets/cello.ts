// Cello as its users write it: one controller, a class-validator DTO, a @Singleton service
// and an async-generator dependency. Guards, the response cache and JWT/rate limiting are not
// in @cello/core yet (issues 5 and 6), so targets.ts marks those scenarios unsupported here.
import { App, Controller, Depends, Get, Param, Post, Query, Singleton } from '@cello/core';
import { Catalog } from '../fixtures/catalog.js';
import { CreateItem } from '../fixtures/create-item.js';
import { pool, type Connection } from '../fixtures/pool.js';
import { host, port } from '../fixtures/port.js';

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

  @Get('/service')
  service() {
    return { items: this.catalog.list() };
  }

  @Get('/dep')
  dep(@Depends(getConn) conn: Connection) {
    return { db: conn.database };
  }
}

const app = new App({ controllers: [BenchController], logger: false });
void app.listen({ port, host });
