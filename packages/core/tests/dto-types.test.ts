// DTO property types (Date in and out, types JSON cannot carry), nested DTOs that would go
// unvalidated, and parameter types that lost their class: each refused at startup with a
// code saying what to add, never a route that validates nothing.
import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsDate, IsInt, IsObject, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { App, Body, Controller, Get, Post, Query } from '@cello/core';
import type { Note } from './fixtures/plain-dto';

type StartupError = Error & { code?: string };

async function startupError(controller: Function): Promise<StartupError> {
  const app = new App({ controllers: [controller], logger: false, handleSignals: false });
  let caught: unknown;
  try {
    await app.ready();
  } catch (err) {
    caught = err;
  } finally {
    await app.close().catch(() => undefined);
  }
  expect(caught).toBeInstanceOf(Error);
  return caught as StartupError;
}

// ---------------------------------------------------------------------------------------------
// Date.
// ---------------------------------------------------------------------------------------------

class Meeting {
  @IsString() title!: string;
  @IsDate() at!: Date;                                   // no @Type(() => Date) needed
  @IsOptional() @IsDate() until?: Date;
}

class MeetingQuery {
  @IsOptional() @IsDate() after?: Date;
}

class Agenda {
  @ValidateNested({ each: true }) @Type(() => Meeting) @ArrayMinSize(1)
  meetings!: Meeting[];
}

// A @Transform elsewhere sends the DTO through class-transformer: the Date is still made.
class Reminder {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) @IsString() text!: string;
  @IsDate() at!: Date;
}

let last: unknown;

@Controller('/dates')
class DatesController {
  @Post('/meeting')
  meeting(m: Meeting) {
    last = m;
    return { at: m.at.toISOString(), isDate: m.at instanceof Date };
  }

  @Get('/meetings', { response: [Meeting] })
  list(@Query() q: MeetingQuery) {
    last = q;
    return [{ title: 'standup', at: new Date('2024-05-06T07:08:09.000Z') }];
  }

  @Post('/agenda')
  agenda(a: Agenda) {
    last = a;
    return { n: a.meetings.length };
  }

  @Post('/reminder')
  reminder(r: Reminder) {
    last = r;
    return { ok: true };
  }
}

describe('Date properties', () => {
  const app = new App({ controllers: [DatesController], logger: false, handleSignals: false });
  app.enableDocs();
  afterAll(() => app.close());

  test('an ISO 8601 date-time string becomes a Date and @IsDate() passes', async () => {
    const res = await app.inject({ method: 'POST', url: '/dates/meeting', payload: { title: 'standup', at: '2024-05-06T07:08:09.000Z' } });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ at: '2024-05-06T07:08:09.000Z', isDate: true });
    expect((last as Meeting).at).toBeInstanceOf(Date);
    expect((last as Meeting).until).toBeUndefined();
  });

  test('an offset is honoured; null is fine for an optional date', async () => {
    const res = await app.inject({ method: 'POST', url: '/dates/meeting', payload: { title: 't', at: '2024-05-06T09:08:09+02:00', until: null } });

    expect(res.json()).toEqual({ at: '2024-05-06T07:08:09.000Z', isDate: true });
  });

  test.each([
    ['not a date', 'not a date'],
    ['a date without a time', '2024-05-06'],
    ['a time without a zone', '2024-05-06T07:08:09'],
    ['an impossible day', '2024-02-30T00:00:00Z'],
    ['a number', 1714979289000],
  ])('%s is 422 with class-validator\'s message', async (_what, at) => {
    const res = await app.inject({ method: 'POST', url: '/dates/meeting', payload: { title: 't', at } });

    expect(res.statusCode).toBe(422);
    expect(res.json().details).toEqual([{ path: 'at', messages: ['at must be a Date instance'] }]);
  });

  test('nested DTOs get Dates too', async () => {
    const res = await app.inject({ method: 'POST', url: '/dates/agenda', payload: { meetings: [{ title: 'a', at: '2024-05-06T07:08:09Z' }] } });

    expect(res.statusCode).toBe(200);
    expect((last as Agenda).meetings[0]!.at).toBeInstanceOf(Date);
  });

  test('a DTO that goes through class-transformer gets Dates too', async () => {
    const res = await app.inject({ method: 'POST', url: '/dates/reminder', payload: { text: ' call ', at: '2024-05-06T07:08:09Z' } });

    expect(res.statusCode).toBe(200);
    expect((last as Reminder).at).toBeInstanceOf(Date);
    expect((last as Reminder).text).toBe('call');
    const bad = await app.inject({ method: 'POST', url: '/dates/reminder', payload: { text: 'x', at: '2024-05-06' } });
    expect(bad.statusCode).toBe(422);
  });

  test('a query DTO reads a date-time too', async () => {
    const res = await app.inject({ method: 'GET', url: '/dates/meetings?after=2024-05-06T07:08:09Z' });

    expect(res.statusCode).toBe(200);
    expect((last as MeetingQuery).after).toBeInstanceOf(Date);
    expect(res.json()).toEqual([{ title: 'standup', at: '2024-05-06T07:08:09.000Z' }]);
  });

  test('the schema and OpenAPI say `format: date-time`', async () => {
    const doc = (await app.inject('/openapi.json')).json();

    expect(doc.components.schemas.Meeting.properties.at).toEqual({ type: 'string', format: 'date-time' });
    expect(doc.components.schemas.Meeting.properties.until).toEqual({ type: 'string', format: 'date-time' });
    const after = doc.paths['/dates/meetings'].get.parameters.find((p: { name: string }) => p.name === 'after');
    expect(after.schema).toEqual({ type: 'string', format: 'date-time' });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties without a class-validator decorator: stripped, as class-validator's whitelist does.
// ---------------------------------------------------------------------------------------------

class Tagged {
  @IsString() name!: string;
  note?: string;                                          // no decorator at all
  @Type(() => String) label?: string;                      // class-transformer only
}

class TaggedTransformed {
  @Transform(({ value }) => value) @IsString() name!: string;
  note?: string;
  @Type(() => String) label?: string;
}

@Controller('/tags')
class TagsController {
  @Post('/plain') plain(t: Tagged) { return { ...t }; }
  @Post('/transformed') transformed(t: TaggedTransformed) { return { ...t }; }
}

describe('a property with no class-validator decorator', () => {
  const app = new App({ controllers: [TagsController], logger: false, handleSignals: false });
  afterAll(() => app.close());

  test.each(['plain', 'transformed'])('is stripped from the instance, as with class-validator\'s whitelist (%s path)', async (path) => {
    const res = await app.inject({ method: 'POST', url: `/tags/${path}`, payload: { name: 'a', note: 'n', label: 'l' } });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'a' });
  });
});

// ---------------------------------------------------------------------------------------------
// Types JSON cannot carry.
// ---------------------------------------------------------------------------------------------

describe('types JSON cannot carry are refused at startup, naming the property', () => {
  test('bigint', async () => {
    class Payment {
      @IsOptional() amount!: bigint;
    }
    @Controller('/p') class C { @Post('/') pay(p: Payment) { return p; } }

    const err = await startupError(C);
    expect(err.code).toBe('CELLO_ERR_DTO_TYPE_UNSUPPORTED');
    expect(err.message).toContain('Payment.amount is declared as bigint');
    expect(err.message).toContain('BigInt(value)');
  });

  test('Map', async () => {
    class Prices {
      @IsObject() bySku!: Map<string, number>;
    }
    @Controller('/p') class C { @Post('/') set(p: Prices) { return p; } }

    const err = await startupError(C);
    expect(err.code).toBe('CELLO_ERR_DTO_TYPE_UNSUPPORTED');
    expect(err.message).toContain('Prices.bySku is declared as Map');
  });

  test('Set, in a query DTO', async () => {
    class Filter {
      @IsOptional() @IsArray() tags?: Set<string>;
    }
    @Controller('/p') class C { @Get('/') list(@Query() f: Filter) { return f; } }

    const err = await startupError(C);
    expect(err.code).toBe('CELLO_ERR_DTO_TYPE_UNSUPPORTED');
    expect(err.message).toContain('Filter.tags is declared as Set');
  });
});

// ---------------------------------------------------------------------------------------------
// Nested DTOs that would go unvalidated.
// ---------------------------------------------------------------------------------------------

class Line {
  @IsString() sku!: string;
  @IsInt() @Min(1) qty!: number;
}

describe('nested DTOs are validated, or startup says what is missing', () => {
  test('the README order: an invalid line is 422', async () => {
    class CreateOrder {
      @ValidateNested({ each: true }) @Type(() => Line) @ArrayMinSize(1)
      items!: Line[];
    }
    @Controller('/orders') class Orders { @Post('/', { status: 201 }) create(o: CreateOrder) { return { line: o.items[0] instanceof Line }; } }
    const app = new App({ controllers: [Orders], logger: false, handleSignals: false });

    const bad = await app.inject({ method: 'POST', url: '/orders', payload: { items: [{ sku: 'pen', qty: 0 }] } });
    const good = await app.inject({ method: 'POST', url: '/orders', payload: { items: [{ sku: 'pen', qty: 1 }] } });
    await app.close();

    expect(bad.statusCode).toBe(422);
    expect(bad.json().details).toEqual([{ path: 'items[0].qty', messages: ['qty must not be less than 1'] }]);
    expect(good.statusCode).toBe(201);
    expect(good.json()).toEqual({ line: true });
  });

  test('@ValidateNested() on an array without @Type', async () => {
    class CreateOrder {
      @ValidateNested({ each: true }) @ArrayMinSize(1)
      items!: Line[];
    }
    @Controller('/orders') class Orders { @Post('/') create(o: CreateOrder) { return o; } }

    const err = await startupError(Orders);
    expect(err.code).toBe('CELLO_ERR_DTO_NESTED_TYPE_MISSING');
    expect(err.message).toContain('CreateOrder.items has @ValidateNested() but its element class cannot be told');
    expect(err.message).toContain('Add @Type(() => ItsClass)');
  });

  test('@ValidateNested() on a property typed with an interface', async () => {
    interface Address { city: string }
    class Customer {
      @ValidateNested() address!: Address;
    }
    @Controller('/c') class C { @Post('/') create(c: Customer) { return c; } }

    const err = await startupError(C);
    expect(err.code).toBe('CELLO_ERR_DTO_NESTED_TYPE_MISSING');
    expect(err.message).toContain('Customer.address');
    expect(err.message).toContain('declare it with the DTO class');
  });

  test('a DTO-typed property without @ValidateNested()', async () => {
    class Shipment {
      @IsObject() line!: Line;
    }
    @Controller('/s') class C { @Post('/') create(s: Shipment) { return s; } }

    const err = await startupError(C);
    expect(err.code).toBe('CELLO_ERR_DTO_NESTED_NOT_VALIDATED');
    expect(err.message).toContain('Shipment.line holds a Line');
    expect(err.message).toContain('Add @ValidateNested()');
  });

  test('@Type(() => Line) on an array without @ValidateNested()', async () => {
    class Shipment {
      @IsArray() @Type(() => Line) lines!: Line[];
    }
    @Controller('/s') class C { @Post('/') create(s: Shipment) { return s; } }

    const err = await startupError(C);
    expect(err.code).toBe('CELLO_ERR_DTO_NESTED_NOT_VALIDATED');
    expect(err.message).toContain('Shipment.lines holds a list of Line');
    expect(err.message).toContain('Add @ValidateNested({ each: true })');
  });
});

// ---------------------------------------------------------------------------------------------
// Parameters whose class is missing or has no decorators.
// ---------------------------------------------------------------------------------------------

describe('parameter types that say what is wrong', () => {
  test('a body DTO class with no decorators at all says its decorators are missing', async () => {
    class CreateNote {
      text!: string;
    }
    @Controller('/n') class C { @Post('/') create(n: CreateNote) { return n; } }

    const err = await startupError(C);
    expect(err.code).toBe('CELLO_ERR_DTO_NO_DECORATORS');
    expect(err.message).toContain('typed with the class CreateNote, which has no class-validator or class-transformer decorators');
  });

  test('the same with @Body()', async () => {
    class CreateNote {
      text!: string;
    }
    @Controller('/n') class C { @Post('/') create(@Body() n: CreateNote) { return n; } }

    expect((await startupError(C)).code).toBe('CELLO_ERR_DTO_NO_DECORATORS');
  });

  test('a raw body typed with an interface and bound with @Body() is still fine', async () => {
    interface Raw { text: string }
    @Controller('/n') class C { @Post('/') create(@Body() n: Raw) { return n; } }
    const app = new App({ controllers: [C], logger: false, handleSignals: false });

    const res = await app.inject({ method: 'POST', url: '/n', payload: { text: 'x', more: 1 } });
    await app.close();
    expect(res.json()).toEqual({ text: 'x', more: 1 });
  });

  test('a DTO brought in with `import type` says to use a value import', async () => {
    @Controller('/n') class C { @Post('/') create(n: Note) { return n; } }

    const err = await startupError(C);
    expect(err.code).toBe('CELLO_ERR_PARAM_UNBOUND');
    expect(err.message).toContain('a class imported with `import type`');
    expect(err.message).toContain('import it as a value');
  });

  test('a constructor parameter whose class came in with `import type` says to use a value import', async () => {
    @Controller('/n') class C {
      constructor(readonly note: Note) {}
      @Get('/') get() { return 'x'; }
    }

    const err = await startupError(C);
    expect(err.code).toBe('CELLO_ERR_DI_INTERFACE_PARAM');
    expect(err.message).toContain('a class imported with `import type`');
    expect(err.message).toContain('import it as a value');
  });

  test('tsc\'s form of an `import type` class (Function) says the same', async () => {
    @Controller('/n') class C { @Post('/') create(n: unknown) { return n; } }
    Reflect.defineMetadata('design:paramtypes', [Function], C.prototype, 'create');

    const err = await startupError(C);
    expect(err.code).toBe('CELLO_ERR_PARAM_UNBOUND');
    expect(err.message).toContain('(type Function)');
    expect(err.message).toContain('not `import type`');
  });

  test('a parameter type that is undefined at runtime (circular import) names the cause', async () => {
    @Controller('/n') class C { @Post('/') create(n: unknown) { return n; } }
    Reflect.defineMetadata('design:paramtypes', [undefined], C.prototype, 'create');

    const err = await startupError(C);
    expect(err.code).toBe('CELLO_ERR_PARAM_TYPE_UNDEFINED');
    expect(err.message).toContain('used before its declaration');
  });
});
