// Query and path-parameter DTOs: strings converted to the declared types, strictly.
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  Min,
} from 'class-validator';
import { App, Body, Controller, Get, Param, Post, Query } from '@cello/core';

enum Level {
  Low,
  High,
}

// Only constraints the compiled schema checks exactly.
class ListQuery {
  @IsOptional()
  @IsInt()
  @Min(1)
  page?: number;

  @IsOptional()
  @IsNumber()
  @Max(1)
  ratio?: number;

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  tags?: string[];

  @IsOptional()
  @IsIn(['asc', 'desc'])
  sort?: string;

  @IsOptional()
  @IsEnum(Level)
  level?: Level;

  @IsOptional()
  @IsString()
  q?: string;
}

// `each` constraints go through class-validator.
class IdsQuery {
  @IsArray()
  @IsInt({ each: true })
  ids!: number[];

  @IsOptional()
  @IsString({ each: true })
  names?: string[];
}

class SearchQuery {
  @IsString()
  q!: string;

  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(['asc', 'desc'])
  sort?: string;
}

class ItemParams {
  @IsInt()
  @Min(1)
  id!: number;

  @IsIn(['draft', 'live'])
  state!: string;
}

class Counter {
  @IsInt()
  page!: number;
}

let last: unknown;

@Controller('/q')
class QueryController {
  @Get('/list')
  list(@Query() q: ListQuery) {
    last = q;
    return { isInstance: q instanceof ListQuery, q, types: Object.fromEntries(Object.entries(q).map(([k, v]) => [k, Array.isArray(v) ? 'array' : typeof v])) };
  }

  @Get('/ids')
  ids(@Query() q: IdsQuery) {
    last = q;
    return { isInstance: q instanceof IdsQuery, q };
  }

  @Get('/search')
  search(@Query() q: SearchQuery) {
    last = q;
    return { isInstance: q instanceof SearchQuery, q };
  }

  @Get('/items/{id}/{state}')
  item(@Param() params: ItemParams) {
    last = params;
    return { isInstance: params instanceof ItemParams, params };
  }

  @Post('/both')
  both(@Query() query: Counter, @Body() body: Counter) {
    return { query, body };
  }
}

let app: App;

beforeAll(async () => {
  app = new App({ controllers: [QueryController], logger: false });
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  last = undefined;
});

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

const get = (url: string) => app.inject({ method: 'GET', url });

describe('query DTOs (@Query() q: ListQuery)', () => {
  test('the handler gets an instance with strings converted to the declared types', async () => {
    const res = await get('/q/list?page=2&ratio=0.25&active=true&tags=a&sort=desc&level=1&q=pens');

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      isInstance: true,
      q: { page: 2, ratio: 0.25, active: true, tags: ['a'], sort: 'desc', level: 1, q: 'pens' },
      types: { page: 'number', ratio: 'number', active: 'boolean', tags: 'array', sort: 'string', level: 'number', q: 'string' },
    });
  });

  test('?active=false is false (not truthy), ?active=true is true', async () => {
    expect((await get('/q/list?active=false')).json().q).toEqual({ active: false });
    expect((last as ListQuery).active).toBe(false);
    expect((await get('/q/list?active=true')).json().q).toEqual({ active: true });
  });

  test.each(['yes', 'FALSE', '', 'truthy'])('?active=%s -> 422', async (value) => {
    const res = await get(`/q/list?active=${value}`);

    expect(res.statusCode).toBe(422);
    expect(res.json().details).toEqual([{ path: 'active', messages: ['active must be a boolean value'] }]);
  });

  test('?page=2 is 2', async () => {
    const res = await get('/q/list?page=2');

    expect(res.statusCode).toBe(200);
    expect(res.json().q).toEqual({ page: 2 });
    expect((last as ListQuery).page).toBe(2);
  });

  test.each([
    ['0x10', 'page must be an integer number'],
    ['1e999', 'page must be an integer number'],
    ['', 'page must be an integer number'],
    ['2.5', 'page must be an integer number'],
    ['1e3', 'page must be an integer number'],
    ['%202', 'page must be an integer number'],
    ['2abc', 'page must be an integer number'],
    ['Infinity', 'page must be an integer number'],
    ['NaN', 'page must be an integer number'],
    [`1${'0'.repeat(400)}`, 'page must be an integer number'], // digits only, yet Number() gives Infinity
    ['0', 'page must not be less than 1'],
  ])('?page=%s -> 422 "%s"', async (value, message) => {
    const res = await get(`/q/list?page=${value}`);

    expect(res.statusCode).toBe(422);
    expect(res.json().details).toEqual([{ path: 'page', messages: expect.arrayContaining([message]) }]);
    expect(last).toBeUndefined();
  });

  test.each(['0x10', '1e999', '-1e999', 'NaN', 'Infinity', '', '0b1', '1_000'])('?ratio=%s (a number) -> 422', async (value) => {
    const res = await get(`/q/list?ratio=${encodeURIComponent(value)}`);

    expect(res.statusCode).toBe(422);
    expect(res.json().details[0].path).toBe('ratio');
    expect(res.json().details[0].messages).toContain('ratio must be a number conforming to the specified constraints');
  });

  test.each([
    ['0.5', 0.5],
    ['-3', -3],
    ['.5', 0.5],
    ['1e-3', 0.001],
  ])('?ratio=%s is %d', async (value, expected) => {
    const res = await get(`/q/list?ratio=${value}`);

    expect(res.statusCode).toBe(200);
    expect(res.json().q.ratio).toBe(expected);
  });

  test('repeated keys make an array; a single value of an array property is a one-element array', async () => {
    expect((await get('/q/list?tags=a&tags=b')).json().q).toEqual({ tags: ['a', 'b'] });
    expect((await get('/q/list?tags=solo')).json().q).toEqual({ tags: ['solo'] });

    const tooMany = await get('/q/list?tags=a&tags=b&tags=c&tags=d');
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().details).toEqual([{ path: 'tags', messages: ['tags must contain no more than 3 elements'] }]);
  });

  test('a repeated key of a scalar property gives the last value, never an array', async () => {
    const res = await get('/q/list?page=2&page=3&q=a&q=b');

    expect(res.statusCode).toBe(200);
    expect(res.json().q).toEqual({ page: 3, q: 'b' });
  });

  test('missing optional properties are absent; unknown keys are stripped', async () => {
    const res = await get('/q/list?utm_source=mail&admin=true');

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ isInstance: true, q: {}, types: {} });
    expect(Object.keys(last as object)).toEqual([]);
  });

  test('enums and IsIn in the query: a numeric enum value is converted, unknown values are 422', async () => {
    expect((await get('/q/list?level=0')).json().q).toEqual({ level: 0 });
    expect((await get('/q/list?sort=asc')).json().q).toEqual({ sort: 'asc' });

    const badLevel = await get('/q/list?level=9');
    expect(badLevel.statusCode).toBe(422);
    expect(badLevel.json().details[0].path).toBe('level');
    const badSort = await get('/q/list?sort=up');
    expect(badSort.statusCode).toBe(422);
    expect(badSort.json().details).toEqual([{ path: 'sort', messages: ['sort must be one of the following values: asc, desc'] }]);
  });

  test('`constructor` and `prototype` keys neither reach the instance nor pollute; a `__proto__` key is 400', async () => {
    const poisoned = await get('/q/list?__proto__=x&__proto__=y&page=2');
    expect(poisoned.statusCode).toBe(400);

    const res = await get('/q/list?constructor=z&prototype=w&page=2&__proto__[polluted]=1');

    expect(res.statusCode).toBe(200);
    const q = last as Record<string, unknown>;
    expect(Object.getPrototypeOf(q)).toBe(ListQuery.prototype);
    expect(Object.keys(q)).toEqual(['page']);
    expect(q.constructor).toBe(ListQuery);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('query DTOs through class-validator (`each`) and class-transformer (@Transform)', () => {
  test('each element of a repeated key is converted and checked', async () => {
    const ok = await get('/q/ids?ids=1&ids=2&names=a');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ isInstance: true, q: { ids: [1, 2], names: ['a'] } });

    const bad = await get('/q/ids?ids=1&ids=x');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details).toEqual([{ path: 'ids', messages: ['each value in ids must be an integer number'] }]);
  });

  test('a missing required property -> 422', async () => {
    const res = await get('/q/ids');

    expect(res.statusCode).toBe(422);
    expect(res.json().details[0].path).toBe('ids');
  });

  test('@Transform runs on the query value before validation', async () => {
    const res = await get('/q/search?q=pens&sort=DESC&junk=1');

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ isInstance: true, q: { q: 'pens', sort: 'desc' } });

    const missing = await get('/q/search?sort=asc');
    expect(missing.statusCode).toBe(422);
    expect(missing.json().details).toEqual([{ path: 'q', messages: ['q must be a string'] }]);
  });
});

describe('path-parameter DTOs (@Param() p: ItemParams)', () => {
  test('converts and validates the path parameters', async () => {
    const ok = await get('/q/items/42/live');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ isInstance: true, params: { id: 42, state: 'live' } });

    const bad = await get('/q/items/0x2a/live');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details).toEqual([{ path: 'id', messages: expect.arrayContaining(['id must be an integer number']) }]);

    const state = await get('/q/items/42/gone');
    expect(state.statusCode).toBe(422);
    expect(state.json().details).toEqual([{ path: 'state', messages: ['state must be one of the following values: draft, live'] }]);
  });
});

describe('bodies are never converted', () => {
  test('the same DTO converts "2" in the query and refuses "2" in the body', async () => {
    const ok = await app.inject({ method: 'POST', url: '/q/both?page=2', payload: { page: 3 } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ query: { page: 2 }, body: { page: 3 } });

    const bad = await app.inject({ method: 'POST', url: '/q/both?page=2', payload: { page: '3' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details).toEqual([{ path: 'page', messages: ['page must be an integer number'] }]);
  });
});
