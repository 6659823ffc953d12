// The `response` route option: a DTO (or [Dto]) serialized by fast-json-stringify, so fields the
// DTO does not declare never leave the server.
import { Type } from 'class-transformer';
import { IsArray, IsDate, IsEmail, IsEnum, IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { App, Cache, type CacheEntry, type CacheStore, Controller, Get, HttpError, MemoryCacheStore, Post, Response } from '@cello/core';

enum Level {
  Low,
  High,
}

class TagOut {
  @IsString()
  label!: string;
}

class OwnerOut {
  @IsString()
  name!: string;

  @IsEmail()
  email!: string;
}

class ItemOut {
  @IsInt()
  id!: number;

  @IsString()
  name!: string;

  @IsOptional()
  @IsString()
  note?: string | null;

  @IsEnum(Level)
  level!: Level;

  @ValidateNested()
  @Type(() => OwnerOut)
  owner!: OwnerOut;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TagOut)
  tags!: TagOut[];
}

class EventOut {
  @IsString()
  title!: string;

  @IsDate()
  at!: Date;

  @IsOptional()
  @IsObject()
  meta?: Record<string, unknown>;
}

class NodeOut {
  @IsString()
  name!: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => NodeOut)
  children?: NodeOut[];
}

// What a service might hand back: a row with secrets on every level.
function row(id: number) {
  return {
    id,
    name: `item ${id}`,
    note: 'n',
    level: Level.High,
    passwordHash: '$argon2id$secret',
    owner: { name: 'Ada', email: 'ada@example.com', passwordHash: '$argon2id$owner', apiKey: 'k' },
    tags: [{ label: 'a', internal: true }, { label: 'b', secret: 's' }],
  };
}

const stripped = (id: number) => ({
  id,
  name: `item ${id}`,
  note: 'n',
  level: Level.High,
  owner: { name: 'Ada', email: 'ada@example.com' },
  tags: [{ label: 'a' }, { label: 'b' }],
});

class UserEntity {
  constructor(readonly id: number, readonly name: string, readonly passwordHash: string) {}

  get email(): string {
    return `${this.name.toLowerCase()}@example.com`;
  }
}

class UserOut {
  @IsInt()
  id!: number;

  @IsString()
  name!: string;

  @IsEmail()
  email!: string;
}

let calls = 0;

@Controller('/r')
class ResponseController {
  @Get('/item', { response: ItemOut })
  item() {
    calls++;
    return row(1);
  }

  @Get('/items', { response: [ItemOut] })
  items() {
    calls++;
    return [row(1), row(2)];
  }

  @Post('/items', { status: 201, response: ItemOut })
  create() {
    calls++;
    return row(3);
  }

  @Get('/wrapped', { response: ItemOut })
  wrapped() {
    return Response.json(row(4), { status: 202, headers: { 'x-a': '1' } });
  }

  @Get('/nullable', { response: ItemOut })
  nullable() {
    const { note: _note, ...rest } = row(5);
    return { ...rest, note: null, tags: [] };
  }

  @Get('/missing', { response: ItemOut })
  missing() {
    const { note: _note, ...rest } = row(6);
    return rest;
  }

  @Get('/entity', { response: UserOut })
  entity() {
    return new UserEntity(7, 'Grace', 'hash');
  }

  @Get('/event', { response: EventOut })
  event() {
    return { title: 'launch', at: new Date('2024-05-06T07:08:09.000Z'), meta: { free: { form: [1, 'two'] } }, secret: 1 };
  }

  @Get('/no-owner', { response: ItemOut })
  noOwner() {
    return { ...row(10), owner: null };
  }

  @Get('/tree', { response: NodeOut })
  tree() {
    return { name: 'root', pw: 1, children: [{ name: 'a', pw: 2, children: [{ name: 'b', pw: 3 }] }] };
  }

  @Get('/error', { response: ItemOut })
  error() {
    throw new HttpError(409, 'Conflict here', { passwordHash: 'details are the thrower\'s business' });
  }

  @Get('/cached', { response: ItemOut })
  @Cache({ ttl: 60 })
  cached() {
    calls++;
    return row(8);
  }

  @Get('/cached-list', { response: [ItemOut] })
  @Cache({ ttl: 60 })
  cachedList() {
    calls++;
    return [row(9)];
  }
}

let app: App;

beforeEach(async () => {
  calls = 0;
  app = new App({ controllers: [ResponseController], logger: false });
  await app.ready();
});

afterEach(async () => {
  await app.close();
});

describe('response: Dto', () => {
  test('strips fields the DTO does not declare, nested objects and arrays of them too', async () => {
    const res = await app.inject('/r/item');

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual(stripped(1));
    expect(res.body).not.toContain('passwordHash');
    expect(res.body).not.toContain('argon2');
    expect(res.body).not.toContain('apiKey');
  });

  test('response: [Dto] strips every element', async () => {
    const res = await app.inject('/r/items');

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([stripped(1), stripped(2)]);
    expect(res.body).not.toContain('passwordHash');
  });

  test('applies to other 2xx statuses (201 from the route, 202 from Response.json)', async () => {
    const created = await app.inject({ method: 'POST', url: '/r/items' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual(stripped(3));

    const wrapped = await app.inject('/r/wrapped');
    expect(wrapped.statusCode).toBe(202);
    expect(wrapped.headers['x-a']).toBe('1');
    expect(wrapped.json()).toEqual(stripped(4));
  });

  test('null stays null and a missing optional field stays missing (no "" or 0 invented)', async () => {
    const withNull = await app.inject('/r/nullable');
    expect(withNull.statusCode).toBe(200);
    expect(withNull.json().note).toBeNull();
    expect(withNull.json().tags).toEqual([]);

    const missing = await app.inject('/r/missing');
    expect(missing.statusCode).toBe(200);
    expect(missing.json()).not.toHaveProperty('note');
    expect(missing.json().id).toBe(6);
  });

  test('a numeric enum value stays a number', async () => {
    const res = await app.inject('/r/item');

    expect(res.json().level).toBe(1);
  });

  test('a class instance is serialized by its declared fields, getters included, secrets not', async () => {
    const res = await app.inject('/r/entity');

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 7, name: 'Grace', email: 'grace@example.com' });
  });

  test('a Date field is sent as an ISO date-time; a free-form @IsObject() field as it is', async () => {
    const res = await app.inject('/r/event');

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ title: 'launch', at: '2024-05-06T07:08:09.000Z', meta: { free: { form: [1, 'two'] } } });
  });

  test('a null nested DTO stays null', async () => {
    const res = await app.inject('/r/no-owner');

    expect(res.statusCode).toBe(200);
    expect(res.json().owner).toBeNull();
  });

  test('a recursive DTO is stripped at every level', async () => {
    const res = await app.inject('/r/tree');

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'root', children: [{ name: 'a', children: [{ name: 'b' }] }] });
  });

  test('error responses keep the error shape', async () => {
    const res = await app.inject('/r/error');

    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ statusCode: 409, error: 'Conflict', message: 'Conflict here' });
  });

  test('a response option that is not a DTO class is an error at startup', async () => {
    class NotADto {
      name = 'x';
    }
    @Controller('/bad')
    class BadController {
      @Get('/', { response: NotADto })
      get() {
        return {};
      }
    }
    const bad = new App({ controllers: [BadController], logger: false });
    await expect(bad.ready()).rejects.toThrow(/response option must be a DTO class/);
    await bad.close();
  });
});

describe('response: Dto with @Cache', () => {
  test('the cached bytes are the stripped ones; a hit does not call the handler', async () => {
    // A store that records what the cache hands it.
    const stored: CacheEntry[] = [];
    const memory = new MemoryCacheStore();
    const store: CacheStore = {
      get: (key) => memory.get(key),
      set: (key, entry) => { stored.push(entry); return memory.set(key, entry); },
      delete: (key) => memory.delete(key),
      invalidateTags: (tags) => memory.invalidateTags(tags),
      clear: () => memory.clear(),
    };
    const cached = new App({ controllers: [ResponseController], logger: false });
    cached.enableCache({ store });
    try {
      const first = await cached.inject('/r/cached');
      const second = await cached.inject('/r/cached');

      expect(first.statusCode).toBe(200);
      expect(second.statusCode).toBe(200);
      expect(calls).toBe(1);
      expect(first.json()).toEqual(stripped(8));
      expect(second.body).toBe(first.body);
      expect(second.body).not.toContain('passwordHash');
      expect(second.headers.etag).toBe(first.headers.etag);
      expect(second.headers['content-type']).toMatch(/^application\/json/);
      expect(stored).toHaveLength(1);
      expect(Buffer.from(stored[0]!.body as never).toString()).toBe(first.body);
      expect(Buffer.from(stored[0]!.body as never).toString()).not.toContain('passwordHash');
    } finally {
      await cached.close();
    }
  });

  test('the default memory store: hits, HEAD and If-None-Match serve the stripped bytes', async () => {
    const first = await app.inject('/r/cached-list');
    const hit = await app.inject('/r/cached-list');
    const head = await app.inject({ method: 'HEAD', url: '/r/cached-list' });
    const again = await app.inject({ method: 'GET', url: '/r/cached-list', headers: { 'if-none-match': first.headers.etag as string } });

    expect(first.json()).toEqual([stripped(9)]);
    expect(hit.body).toBe(first.body);
    expect(hit.body).not.toContain('passwordHash');
    expect(head.statusCode).toBe(200);
    expect(again.statusCode).toBe(304);
    expect(calls).toBe(1);
  });
});
