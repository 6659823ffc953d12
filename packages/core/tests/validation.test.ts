// DTO bodies: each constraint kind through the compiled-schema path and through the
// class-validator path, nested DTOs, stripping, prototype-polluting keys, non-object bodies,
// nesting depth and the size of error answers. Query DTOs: validation-query.test.ts;
// the `response` route option: response-serialization.test.ts.

// Counts calls into class-validator and class-transformer, so the tests can tell which path a
// request took (the schema path must not touch either on the happy path). Pass-through wrappers.
jest.mock('class-validator', () => {
  const actual = jest.requireActual('class-validator');
  return { ...actual, validate: jest.fn(actual.validate), validateSync: jest.fn(actual.validateSync) };
});
jest.mock('class-transformer', () => {
  const actual = jest.requireActual('class-transformer');
  return { ...actual, plainToInstance: jest.fn(actual.plainToInstance) };
});

import * as classTransformer from 'class-transformer';
import { Expose, Transform, Type } from 'class-transformer';
import * as classValidator from 'class-validator';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { App, Body, Controller, Post } from '@cello/core';
import { dtoShape } from '../src/validation/dto-schema';

const cvCalls = (): number =>
  (classValidator.validate as jest.Mock).mock.calls.length + (classValidator.validateSync as jest.Mock).mock.calls.length;
const ctCalls = (): number => (classTransformer.plainToInstance as jest.Mock).mock.calls.length;

function resetSpies(): void {
  (classValidator.validate as jest.Mock).mockClear();
  (classValidator.validateSync as jest.Mock).mockClear();
  (classTransformer.plainToInstance as jest.Mock).mockClear();
}

type Details = Array<{ path: string; messages: string[] }>;

function postJson(app: App, url: string, body: unknown) {
  return app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

// ---------------------------------------------------------------------------------------------
// The schema path: constraints JSON Schema expresses exactly.
// ---------------------------------------------------------------------------------------------

enum Color {
  Red = 'red',
  Green = 'green',
}

enum Level {
  Low,
  High,
}

class Product {
  @IsString()
  name!: string;

  @IsNumber()
  @Min(0)
  @Max(100)
  price!: number;

  @IsInt()
  qty!: number;

  @IsBoolean()
  active!: boolean;

  @Length(2, 5)
  code!: string;

  @MinLength(3)
  @MaxLength(10)
  title!: string;

  @IsIn(['s', 'm', 'l'])
  size!: string;

  @IsEnum(Color)
  color!: Color;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  tags!: string[];

  @IsOptional()
  @IsString()
  note?: string;

  @IsPositive()
  weight!: number;
}

// The same kinds of constraint, written in orders and combinations that trip a naive
// JSON Schema translation.
class Tricky {
  @Min(1)
  @IsInt()
  count!: number; // decorators in this order: still an integer

  @IsPositive()
  @IsInt()
  units!: number;

  @IsEnum(Level)
  level!: Level; // a numeric enum

  @IsIn([1, 'one'])
  mixed!: number | string;

  @IsOptional()
  @IsInt()
  maybe?: number | null; // IsOptional lets null through, as class-validator does

  @Allow()
  free?: unknown; // @Allow alone: any value, or none
}

const validProduct = {
  name: 'pen',
  price: 1.5,
  qty: 3,
  active: true,
  code: 'AB1',
  title: 'Blue pen',
  size: 'm',
  color: 'red',
  tags: ['office'],
  weight: 0.02,
};

// ---------------------------------------------------------------------------------------------
// The class-validator path: constraints the schema cannot (or does not) express exactly.
// ---------------------------------------------------------------------------------------------

@ValidatorConstraint({ name: 'isEven' })
class IsEvenConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'number' && value % 2 === 0;
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be an even number`;
  }
}

let usernameChecks = 0;

@ValidatorConstraint({ name: 'isFreeUsername', async: true })
class IsFreeUsername implements ValidatorConstraintInterface {
  async validate(value: unknown): Promise<boolean> {
    usernameChecks++;
    await new Promise((resolve) => setTimeout(resolve, 1));
    return value !== 'taken';
  }

  defaultMessage(): string {
    return '$property is already taken';
  }
}

@ValidatorConstraint({ name: 'echoes' })
class EchoesValue implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return value === 'ok';
  }

  defaultMessage(): string {
    return '$property "$value" is not ok'; // a user's message that quotes the input
  }
}

class Contact {
  @IsEmail()
  email!: string;

  @IsUrl()
  site!: string;

  @Matches(/^[A-Z]{3}-\d+$/)
  ref!: string;

  @IsUUID()
  id!: string;

  @Validate(IsEvenConstraint)
  even!: number;
}

const validContact = {
  email: 'ada@example.com',
  site: 'https://example.com/ada',
  ref: 'ABC-42',
  id: '3f0e5c5e-8f5a-4d4b-9a3e-2b1f8e6c7d10',
  even: 4,
};

// Inputs class-validator accepts although a JSON Schema translation of the same decorator
// (format, pattern) would not: they must not be refused.
class Lenient {
  @Matches(/^abc$/i)
  caseless!: string;

  @IsUrl()
  site!: string;

  @IsEmail()
  email!: string;
}

class Signup {
  @IsString()
  @Validate(IsFreeUsername)
  username!: string;
}

class Party {
  @IsIn(['person', 'company'])
  kind!: string;

  @ValidateIf((o: Party) => o.kind === 'company')
  @IsString()
  @MinLength(3)
  vatId?: string;
}

class Echo {
  @Validate(EchoesValue)
  word!: string;
}

// ---------------------------------------------------------------------------------------------
// Nested DTOs.
// ---------------------------------------------------------------------------------------------

class Option {
  @IsString()
  label!: string;
}

class Address {
  @IsString()
  city!: string;

  @IsString()
  @Length(5, 5)
  zip!: string;
}

class LineItem {
  @IsString()
  sku!: string;

  @IsInt()
  @Min(1)
  qty!: number;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Option)
  options?: Option[];
}

class Order {
  @ValidateNested()
  @Type(() => Address)
  address!: Address;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => LineItem)
  items!: LineItem[];
}

// `@ValidateNested()` on an array-typed property, without `each` (class-validator validates
// every element all the same).
class Basket {
  @ValidateNested()
  @Type(() => LineItem)
  lines!: LineItem[];
}

class Customer {
  @IsString()
  name!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => Address)
  address?: Address | null;
}

// Inheritance: a DTO extending another keeps the base's constraints.
class BaseUser {
  @IsString()
  @MinLength(2)
  name!: string;
}

class AdminUser extends BaseUser {
  @IsIn(['ops', 'billing'])
  team!: string;
}

// A nested DTO that itself needs class-validator (IsEmail, a custom constraint).
class Owner {
  @IsEmail()
  email!: string;

  @Validate(IsEvenConstraint)
  even!: number;
}

class Shop {
  @IsString()
  name!: string;

  @ValidateNested()
  @Type(() => Owner)
  owner!: Owner;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Owner)
  staff!: Owner[];
}

const validOrder = {
  address: { city: 'Paris', zip: '75001' },
  items: [
    { sku: 'a', qty: 1 },
    { sku: 'b', qty: 2, options: [{ label: 'gift' }] },
    { sku: 'c', qty: 3 },
  ],
};

// ---------------------------------------------------------------------------------------------
// class-transformer features a plain factory cannot reproduce.
// ---------------------------------------------------------------------------------------------

class Profile {
  @Expose({ name: 'display_name' })
  @IsString()
  displayName!: string;

  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @Length(1, 5)
  nick!: string;

  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(['admin', 'user'])
  role!: string;
}

class Appointment {
  @Type(() => Date)
  @IsDate()
  at!: Date;
}

// ---------------------------------------------------------------------------------------------
// Depth.
// ---------------------------------------------------------------------------------------------

class TreeNode {
  @IsString()
  name!: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TreeNode)
  children?: TreeNode[];
}

class Bag {
  @IsString()
  name!: string;

  @IsOptional()
  @IsArray()
  stuff?: unknown[];
}

class TransformedBag {
  @Transform(({ value }) => value)
  @IsString()
  name!: string;

  @IsOptional()
  @IsArray()
  stuff?: unknown[];
}

function tree(levels: number): Record<string, unknown> {
  let node: Record<string, unknown> = { name: `n${levels}` };
  for (let level = levels - 1; level >= 1; level--) node = { name: `n${level}`, children: [node] };
  return node;
}

// ---------------------------------------------------------------------------------------------

let calls = 0;
let last: unknown;

function seen<T>(value: T): { ok: true } {
  calls++;
  last = value;
  return { ok: true };
}

@Controller('/v')
class ValidationController {
  @Post('/product') product(item: Product) { return seen(item); }
  @Post('/tricky') tricky(item: Tricky) { return seen(item); }
  @Post('/contact') contact(@Body() item: Contact) { return seen(item); }
  @Post('/lenient') lenient(item: Lenient) { return seen(item); }
  @Post('/signup') async signup(item: Signup) { return seen(item); }
  @Post('/party') party(item: Party) { return seen(item); }
  @Post('/echo') echo(item: Echo) { return seen(item); }
  @Post('/order') order(item: Order) { return seen(item); }
  @Post('/basket') basket(item: Basket) { return seen(item); }
  @Post('/shop') shop(item: Shop) { return seen(item); }
  @Post('/customer') customer(item: Customer) { return seen(item); }
  @Post('/admin') admin(item: AdminUser) { return seen(item); }
  @Post('/profile') profile(item: Profile) { return seen(item); }
  @Post('/appointment') appointment(item: Appointment) { return seen(item); }
  @Post('/tree') tree(item: TreeNode) { return seen(item); }
  @Post('/bag') bag(item: Bag) { return seen(item); }
  @Post('/tbag') tbag(item: TransformedBag) { return seen(item); }
}

let app: App;

beforeAll(async () => {
  // A large bodyLimit, so that the 100,000-level bodies reach validation instead of a 413.
  app = new App({ controllers: [ValidationController], logger: false, bodyLimit: 16 * 1024 * 1024 });
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  calls = 0;
  last = undefined;
  resetSpies();
});

afterEach(() => {
  // No request of any test may have put anything on Object.prototype.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
});

describe('the schema path (constraints JSON Schema expresses exactly)', () => {
  test('a DTO with only such constraints is compiled to need neither class-validator nor class-transformer', () => {
    for (const type of [Product, Tricky, Order, LineItem, Address, Option, TreeNode, Bag]) {
      expect({ type: type.name, cv: dtoShape(type).needsClassValidator, ct: dtoShape(type).needsClassTransformer })
        .toEqual({ type: type.name, cv: false, ct: false });
    }
  });

  test('valid input reaches the handler as an instance without calling class-validator or class-transformer', async () => {
    const res = await postJson(app, '/v/product', validProduct);

    expect(res.statusCode).toBe(200);
    expect(calls).toBe(1);
    expect(last).toBeInstanceOf(Product);
    expect({ ...(last as object) }).toEqual(validProduct);
    expect(cvCalls()).toBe(0);
    expect(ctCalls()).toBe(0);
  });

  test('a missing @IsOptional() property is left undefined (not set on the instance)', async () => {
    const res = await postJson(app, '/v/product', validProduct);

    expect(res.statusCode).toBe(200);
    expect(Object.prototype.hasOwnProperty.call(last, 'note')).toBe(false);
    const withNote = await postJson(app, '/v/product', { ...validProduct, note: 'hi' });
    expect(withNote.statusCode).toBe(200);
    expect((last as Product).note).toBe('hi');
  });

  test.each<[string, unknown, string | string[]]>([
    ['name', 5, 'name must be a string'],
    // class-validator reports every constraint a value breaks: Min and Max fail for a non-number too
    ['price', 'cheap', ['price must be a number conforming to the specified constraints', 'price must not be greater than 100', 'price must not be less than 0']],
    ['price', -1, 'price must not be less than 0'],
    ['price', 101, 'price must not be greater than 100'],
    ['qty', 2.5, 'qty must be an integer number'],
    ['qty', '3', 'qty must be an integer number'],
    ['active', 'true', 'active must be a boolean value'],
    ['active', 1, 'active must be a boolean value'],
    ['code', 'A', 'code must be longer than or equal to 2 characters'],
    ['code', 'ABCDEF', 'code must be shorter than or equal to 5 characters'],
    ['title', 'ab', 'title must be longer than or equal to 3 characters'],
    ['title', 'a very long title', 'title must be shorter than or equal to 10 characters'],
    ['size', 'xl', 'size must be one of the following values: s, m, l'],
    ['color', 'blue', 'color must be one of the following values: red, green'],
    ['tags', 'office', ['tags must be an array', 'tags must contain at least 1 elements', 'tags must contain no more than 3 elements']],
    ['tags', [], 'tags must contain at least 1 elements'],
    ['tags', ['a', 'b', 'c', 'd'], 'tags must contain no more than 3 elements'],
    ['note', 42, 'note must be a string'],
    ['weight', 0, 'weight must be a positive number'],
    ['weight', -3, 'weight must be a positive number'],
  ])('%s = %j -> 422 %j', async (field, value, message) => {
    const res = await postJson(app, '/v/product', { ...validProduct, [field]: value });

    expect(res.statusCode).toBe(422);
    const body = res.json();
    body.details?.[0]?.messages?.sort();
    expect(body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'Validation failed',
      details: [{ path: field, messages: typeof message === 'string' ? [message] : [...message].sort() }],
    });
    expect(calls).toBe(0);
  });

  test('boundary values pass', async () => {
    const edges = [
      { price: 0, code: 'AB', title: 'abc', tags: ['a'], qty: -7 },
      { price: 100, code: 'ABCDE', title: 'abcdefghij', tags: ['a', 'b', 'c'], qty: 0 },
    ];
    for (const edge of edges) {
      const res = await postJson(app, '/v/product', { ...validProduct, ...edge });
      expect({ edge, status: res.statusCode }).toEqual({ edge, status: 200 });
    }
    expect(cvCalls()).toBe(0);
  });

  test('a missing required property -> 422 naming it', async () => {
    const { name: _name, ...rest } = validProduct;
    const res = await postJson(app, '/v/product', rest);

    expect(res.statusCode).toBe(422);
    expect(res.json().details).toEqual([{ path: 'name', messages: ['name must be a string'] }]);
  });

  test('every invalid field is reported, each with all of its messages', async () => {
    const res = await postJson(app, '/v/product', { ...validProduct, name: 1, code: 'ABCDEFG', tags: 'x' });

    expect(res.statusCode).toBe(422);
    const details = (res.json().details as Details).sort((a, b) => a.path.localeCompare(b.path));
    expect(details).toEqual([
      { path: 'code', messages: ['code must be shorter than or equal to 5 characters'] },
      { path: 'name', messages: ['name must be a string'] },
      {
        path: 'tags',
        messages: expect.arrayContaining(['tags must be an array', 'tags must contain at least 1 elements']),
      },
    ]);
  });

  test('@Min(1) @IsInt() (either decorator order) still refuses a fraction', async () => {
    const base = { count: 2, units: 1, level: 0, mixed: 1 };
    expect((await postJson(app, '/v/tricky', base)).statusCode).toBe(200);

    const count = await postJson(app, '/v/tricky', { ...base, count: 2.5 });
    expect(count.statusCode).toBe(422);
    expect(count.json().details).toEqual([{ path: 'count', messages: ['count must be an integer number'] }]);

    const units = await postJson(app, '/v/tricky', { ...base, units: 1.5 });
    expect(units.statusCode).toBe(422);
    expect(units.json().details).toEqual([{ path: 'units', messages: ['units must be an integer number'] }]);
  });

  test('@IsEnum of a numeric enum accepts its values and refuses others', async () => {
    const base = { count: 2, units: 1, mixed: 1 };
    const high = await postJson(app, '/v/tricky', { ...base, level: Level.High });
    expect(high.statusCode).toBe(200);
    expect((last as Tricky).level).toBe(1);

    const bad = await postJson(app, '/v/tricky', { ...base, level: 7 });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details).toEqual([{ path: 'level', messages: ['level must be one of the following values: 0, 1'] }]);
  });

  test('@IsIn with values of mixed types accepts each of them and nothing else', async () => {
    const base = { count: 2, units: 1, level: 0 };
    expect((await postJson(app, '/v/tricky', { ...base, mixed: 1 })).statusCode).toBe(200);
    expect((await postJson(app, '/v/tricky', { ...base, mixed: 'one' })).statusCode).toBe(200);

    const bad = await postJson(app, '/v/tricky', { ...base, mixed: 'two' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details).toEqual([{ path: 'mixed', messages: ['mixed must be one of the following values: 1, one'] }]);
  });

  test('@IsOptional() accepts null and a missing value, as class-validator does; @Allow() alone accepts anything', async () => {
    const base = { count: 2, units: 1, level: 0, mixed: 1 };
    const withNull = await postJson(app, '/v/tricky', { ...base, maybe: null });
    expect(withNull.statusCode).toBe(200);
    expect((last as Tricky).maybe).toBeNull();

    const withFree = await postJson(app, '/v/tricky', { ...base, free: { any: ['thing'] } });
    expect(withFree.statusCode).toBe(200);
    expect((last as Tricky).free).toEqual({ any: ['thing'] });

    expect(cvCalls()).toBe(0);
    expect(ctCalls()).toBe(0);

    const bad = await postJson(app, '/v/tricky', { ...base, maybe: 'x' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details).toEqual([{ path: 'maybe', messages: ['maybe must be an integer number'] }]);
  });

  test('bodies are never converted: "12" for a number and "true" for a boolean are 422', async () => {
    const res = await postJson(app, '/v/product', { ...validProduct, price: '12', active: 'true' });

    expect(res.statusCode).toBe(422);
    expect((res.json().details as Details).map((d) => d.path).sort()).toEqual(['active', 'price']);
  });
});

describe('numbers that are not finite', () => {
  const actualValidator = jest.requireActual<typeof classValidator>('class-validator');
  const actualTransformer = jest.requireActual<typeof classTransformer>('class-transformer');

  // What class-validator alone says of the same input: the answer must use its words.
  function classValidatorSays(type: new () => object, input: object): Details {
    const errors = actualValidator.validateSync(actualTransformer.plainToInstance(type, input) as object, { whitelist: true, forbidUnknownValues: false });
    return errors.map((e) => ({ path: e.property, messages: Object.values(e.constraints ?? {}).sort() }));
  }

  test.each([
    ['price', '1e400', ['price must be a number conforming to the specified constraints', 'price must not be greater than 100']],
    ['price', '-1e400', ['price must be a number conforming to the specified constraints', 'price must not be less than 0']],
    ['qty', '1e400', ['qty must be an integer number']],
    ['qty', '-1e400', ['qty must be an integer number']],
  ])('%s = %s in a JSON body (Infinity once parsed) -> 422 with class-validator\'s messages', async (field, raw, messages) => {
    const payload = JSON.stringify({ ...validProduct, [field]: 0 }).replace(`"${field}":0`, `"${field}":${raw}`);

    const res = await app.inject({ method: 'POST', url: '/v/product', payload, headers: { 'content-type': 'application/json' } });

    expect(res.statusCode).toBe(422);
    const details = res.json().details as Details;
    details[0]!.messages.sort();
    expect(details).toEqual([{ path: field, messages }]);
    expect(details).toEqual(classValidatorSays(Product, { ...validProduct, [field]: Number(raw) }));
    expect(calls).toBe(0);
  });

  test('a bare @IsNumber() and @IsInt() refuse Infinity in a JSON body, in class-validator\'s words', async () => {
    class Reading {
      @IsNumber()
      value!: number;

      @IsInt()
      count!: number;
    }
    @Controller('/r')
    class ReadingController {
      @Post('/') reading(item: Reading) { return { item }; }
    }
    const local = new App({ controllers: [ReadingController], logger: false });
    const post = (payload: string) => local.inject({ method: 'POST', url: '/r', payload, headers: { 'content-type': 'application/json' } });

    const value = await post('{"value":1e400,"count":1}');
    const count = await post('{"value":1,"count":-1e400}');
    const fine = await post('{"value":1.5,"count":1}');
    await local.close();

    expect(value.statusCode).toBe(422);
    expect(value.json().details).toEqual([{ path: 'value', messages: ['value must be a number conforming to the specified constraints'] }]);
    expect(value.json().details).toEqual(classValidatorSays(Reading, { value: Infinity, count: 1 }));
    expect(count.statusCode).toBe(422);
    expect(count.json().details).toEqual([{ path: 'count', messages: ['count must be an integer number'] }]);
    expect(count.json().details).toEqual(classValidatorSays(Reading, { value: 1, count: -Infinity }));
    expect(fine.statusCode).toBe(200);
  });

  test('@IsInt() with @Min(1) refuses Infinity too', async () => {
    const res = await app.inject({ method: 'POST', url: '/v/tricky', payload: '{"count":1e400,"units":1,"level":0,"mixed":1}', headers: { 'content-type': 'application/json' } });

    expect(res.statusCode).toBe(422);
    expect(res.json().details).toEqual([{ path: 'count', messages: ['count must be an integer number'] }]);
  });

  test('@IsNumber({ allowInfinity: true }) still accepts Infinity, as class-validator does', async () => {
    class Bound {
      @IsNumber({ allowInfinity: true })
      max!: number;
    }
    @Controller('/b')
    class BoundController {
      @Post('/') bound(item: Bound) { return { isInfinite: item.max === Infinity }; }
    }
    const local = new App({ controllers: [BoundController], logger: false });

    const ok = await local.inject({ method: 'POST', url: '/b', payload: '{"max":1e400}', headers: { 'content-type': 'application/json' } });
    const bad = await local.inject({ method: 'POST', url: '/b', payload: '{"max":"x"}', headers: { 'content-type': 'application/json' } });
    await local.close();

    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ isInfinite: true });
    expect(bad.statusCode).toBe(422);
  });
});

describe('the class-validator path (custom, async, conditional and format constraints)', () => {
  test('such DTOs are compiled to need class-validator (async where a validator is async)', () => {
    expect(dtoShape(Contact).needsClassValidator).toBe(true);
    expect(dtoShape(Contact).isAsync).toBe(false);
    expect(dtoShape(Signup).needsClassValidator).toBe(true);
    expect(dtoShape(Signup).isAsync).toBe(true);
    expect(dtoShape(Party).needsClassValidator).toBe(true);
  });

  test('valid input reaches the handler as an instance, after class-validator ran', async () => {
    const res = await postJson(app, '/v/contact', { ...validContact, extra: 'dropped' });

    expect(res.statusCode).toBe(200);
    expect(last).toBeInstanceOf(Contact);
    expect({ ...(last as object) }).toEqual(validContact);
    expect(cvCalls()).toBeGreaterThan(0);
    expect(ctCalls()).toBe(0); // built by the plain factory all the same
  });

  test.each<[string, unknown, string]>([
    ['email', 'not-an-email', 'email must be an email'],
    ['email', 42, 'email must be an email'],
    ['site', 'not a url', 'site must be a URL address'],
    ['ref', 'abc-42', 'ref must match /^[A-Z]{3}-\\d+$/ regular expression'],
    ['id', 'not-a-uuid', 'id must be a UUID'],
    ['even', 3, 'even must be an even number'],
    ['even', 'four', 'even must be an even number'],
  ])('%s = %j -> 422 "%s"', async (field, value, message) => {
    const res = await postJson(app, '/v/contact', { ...validContact, [field]: value });

    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'Validation failed',
      details: [{ path: field, messages: [message] }],
    });
    expect(calls).toBe(0);
  });

  test('input class-validator accepts is accepted (regex flags, URLs without a scheme, UTF-8 e-mail)', async () => {
    const res = await postJson(app, '/v/lenient', { caseless: 'ABC', site: 'example.com', email: 'josé@example.com' });

    expect(res.statusCode).toBe(200);
    expect(last).toEqual(Object.assign(new Lenient(), { caseless: 'ABC', site: 'example.com', email: 'josé@example.com' }));
  });

  test('an async custom validator runs and its failure is a 422 in the same shape', async () => {
    usernameChecks = 0;
    const ok = await postJson(app, '/v/signup', { username: 'ada' });
    expect(ok.statusCode).toBe(200);
    expect(last).toBeInstanceOf(Signup);
    expect(usernameChecks).toBe(1);

    const taken = await postJson(app, '/v/signup', { username: 'taken' });
    expect(taken.statusCode).toBe(422);
    expect(taken.json().details).toEqual([{ path: 'username', messages: ['username is already taken'] }]);
    expect(calls).toBe(1);
  });

  test('an async DTO still runs the exact constraints first', async () => {
    const res = await postJson(app, '/v/signup', { username: 7 });

    expect(res.statusCode).toBe(422);
    expect(res.json().details[0]).toMatchObject({ path: 'username', messages: expect.arrayContaining(['username must be a string']) });
  });

  test('@ValidateIf: the constraints apply only when the condition holds', async () => {
    expect((await postJson(app, '/v/party', { kind: 'person' })).statusCode).toBe(200);
    expect((await postJson(app, '/v/party', { kind: 'person', vatId: 12 })).statusCode).toBe(200);
    expect((await postJson(app, '/v/party', { kind: 'company', vatId: 'FR123' })).statusCode).toBe(200);
    expect(last).toBeInstanceOf(Party);

    const short = await postJson(app, '/v/party', { kind: 'company', vatId: 'F' });
    expect(short.statusCode).toBe(422);
    expect(short.json().details).toEqual([{ path: 'vatId', messages: ['vatId must be longer than or equal to 3 characters'] }]);

    const missing = await postJson(app, '/v/party', { kind: 'company' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().details[0].path).toBe('vatId');
  });
});

describe('nested DTOs', () => {
  test('the handler gets real instances all the way down', async () => {
    const res = await postJson(app, '/v/order', validOrder);

    expect(res.statusCode).toBe(200);
    const order = last as Order;
    expect(order).toBeInstanceOf(Order);
    expect(order.address).toBeInstanceOf(Address);
    expect(order.items).toHaveLength(3);
    for (const item of order.items) expect(item).toBeInstanceOf(LineItem);
    expect(order.items[1]!.options![0]).toBeInstanceOf(Option);
    expect(JSON.parse(JSON.stringify(order))).toEqual(validOrder);
    expect(cvCalls()).toBe(0); // nested instances come from the plain factory too
    expect(ctCalls()).toBe(0);
  });

  test('unknown properties are stripped at every level', async () => {
    const res = await postJson(app, '/v/order', {
      ...validOrder,
      admin: true,
      address: { ...validOrder.address, lat: 1 },
      items: [{ sku: 'a', qty: 1, price: 0, options: [{ label: 'x', hidden: true }] }],
    });

    expect(res.statusCode).toBe(200);
    const order = last as Order;
    expect(Object.keys(order).sort()).toEqual(['address', 'items']);
    expect(Object.keys(order.address).sort()).toEqual(['city', 'zip']);
    expect(Object.keys(order.items[0]!).sort()).toEqual(['options', 'qty', 'sku']);
    expect(Object.keys(order.items[0]!.options![0]!)).toEqual(['label']);
  });

  test('errors name the path: items[2].qty, address.city, items[1].options[0].label', async () => {
    const res = await postJson(app, '/v/order', {
      address: { zip: '75001' },
      items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 1, options: [{ label: 3 }] }, { sku: 'c', qty: 0 }],
    });

    expect(res.statusCode).toBe(422);
    const details = (res.json().details as Details).sort((a, b) => a.path.localeCompare(b.path));
    expect(details).toEqual([
      { path: 'address.city', messages: ['city must be a string'] },
      { path: 'items[1].options[0].label', messages: ['label must be a string'] },
      { path: 'items[2].qty', messages: ['qty must not be less than 1'] },
    ]);
  });

  test('a nested value that is not an object is a 422 on that path', async () => {
    const res = await postJson(app, '/v/order', { ...validOrder, address: 'Paris' });

    expect(res.statusCode).toBe(422);
    expect(res.json().details).toEqual([{ path: 'address', messages: ['nested property address must be either object or array'] }]);
    const list = await postJson(app, '/v/order', { ...validOrder, items: [{ sku: 'a', qty: 1 }, 1] });
    expect(list.statusCode).toBe(422);
    expect(list.json().details).toEqual([{ path: 'items[1]', messages: ['each value in nested property items must be either object or array'] }]);
  });

  test('a required nested DTO that is missing or null -> 422 on its path; an optional one may be absent or null', async () => {
    const missing = await postJson(app, '/v/order', { items: [] });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().details).toEqual([{ path: 'address', messages: ['address is required'] }]);

    const nullAddress = await postJson(app, '/v/order', { address: null, items: [] });
    expect(nullAddress.statusCode).toBe(422);
    expect(nullAddress.json().details).toEqual([{ path: 'address', messages: ['nested property address must be either object or array'] }]);

    expect((await postJson(app, '/v/customer', { name: 'c' })).statusCode).toBe(200);
    expect((await postJson(app, '/v/customer', { name: 'c', address: null })).statusCode).toBe(200);
    expect((last as Customer).address).toBeNull();
    expect((await postJson(app, '/v/customer', { name: 'c', address: { city: 'Lyon', zip: '69001', x: 1 } })).statusCode).toBe(200);
    expect((last as Customer).address).toBeInstanceOf(Address);
    expect({ ...(last as Customer).address }).toEqual({ city: 'Lyon', zip: '69001' });

    const bad = await postJson(app, '/v/customer', { name: 'c', address: { city: 'Lyon', zip: '6' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details).toEqual([{ path: 'address.zip', messages: ['zip must be longer than or equal to 5 characters'] }]);
  });

  test('a DTO extending another is validated with the constraints of both', async () => {
    const ok = await postJson(app, '/v/admin', { name: 'Al', team: 'ops', root: true });
    expect(ok.statusCode).toBe(200);
    expect(last).toBeInstanceOf(AdminUser);
    expect({ ...(last as object) }).toEqual({ name: 'Al', team: 'ops' });

    const bad = await postJson(app, '/v/admin', { name: 'A', team: 'hr' });
    expect(bad.statusCode).toBe(422);
    expect((bad.json().details as Details).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'name', messages: ['name must be longer than or equal to 2 characters'] },
      { path: 'team', messages: ['team must be one of the following values: ops, billing'] },
    ]);
  });

  test('@ValidateNested() on an array property without `each` validates and builds every element', async () => {
    const ok = await postJson(app, '/v/basket', { lines: [{ sku: 'a', qty: 1, junk: 1 }, { sku: 'b', qty: 2 }] });
    expect(ok.statusCode).toBe(200);
    const basket = last as Basket;
    expect(basket).toBeInstanceOf(Basket);
    expect(basket.lines.every((l) => l instanceof LineItem)).toBe(true);
    expect(Object.keys(basket.lines[0]!).sort()).toEqual(['qty', 'sku']);

    const bad = await postJson(app, '/v/basket', { lines: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 0 }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details).toEqual([{ path: 'lines[1].qty', messages: ['qty must not be less than 1'] }]);
  });

  test('nested DTOs on the class-validator path: instances, stripping and paths', async () => {
    const owner = { email: 'o@example.com', even: 2 };
    const ok = await postJson(app, '/v/shop', { name: 's', owner: { ...owner, role: 'x' }, staff: [owner, { ...owner, extra: 1 }] });
    expect(ok.statusCode).toBe(200);
    const shop = last as Shop;
    expect(shop.owner).toBeInstanceOf(Owner);
    expect(shop.staff.every((s) => s instanceof Owner)).toBe(true);
    expect(Object.keys(shop.owner).sort()).toEqual(['email', 'even']);
    expect(Object.keys(shop.staff[1]!).sort()).toEqual(['email', 'even']);

    const bad = await postJson(app, '/v/shop', { name: 's', owner: { ...owner, email: 'nope' }, staff: [owner, owner, { ...owner, even: 5 }] });
    expect(bad.statusCode).toBe(422);
    const details = (bad.json().details as Details).sort((a, b) => a.path.localeCompare(b.path));
    expect(details).toEqual([
      { path: 'owner.email', messages: ['email must be an email'] },
      { path: 'staff[2].even', messages: ['even must be an even number'] },
    ]);
  });
});

describe('instances, stripping and prototype-polluting keys', () => {
  const raw = (url: string, payload: string) =>
    app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });

  test('`__proto__` and `constructor.prototype` anywhere in the body are refused by the JSON parser (400)', async () => {
    const bodies = [
      `{"name":"pen","__proto__":{"polluted":"yes"}}`,
      `{"name":"pen","constructor":{"prototype":{"polluted":"yes"}}}`,
    ];
    for (const url of ['/v/product', '/v/contact', '/v/profile']) {
      for (const body of bodies) expect((await raw(url, body)).statusCode).toBe(400);
    }
    const nested = await raw('/v/order', `{"address":{"city":"x","zip":"12345","__proto__":{"polluted":"yes"}},"items":[]}`);
    const nestedCtor = await raw('/v/order', `{"address":{"city":"x","zip":"12345"},"items":[{"sku":"a","qty":1,"constructor":{"prototype":{"polluted":"yes"}}}]}`);

    expect(nested.statusCode).toBe(400);
    expect(nestedCtor.statusCode).toBe(400);
    expect(calls).toBe(0);
  });

  test.each([
    ['/v/product', 'schema path', validProduct],
    ['/v/contact', 'class-validator path', validContact],
    ['/v/profile', 'class-transformer path', { display_name: 'Ada', nick: 'ada', role: 'user' }],
  ])('`constructor` / `prototype` keys never reach the instance (%s, %s)', async (url, _path, valid) => {
    const body = JSON.stringify(valid).slice(0, -1) + `,"constructor":{"polluted":"yes","name":"x"},"prototype":{"polluted":"yes"}}`;
    const res = await raw(url, body);

    expect(res.statusCode).toBe(200);
    const instance = last as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(instance, 'constructor')).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(instance, 'prototype')).toBe(false);
    expect(instance.constructor).toBe(Object.getPrototypeOf(instance).constructor);
    expect(Object.getPrototypeOf(instance).constructor).not.toHaveProperty('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('`constructor` keys in nested objects and in invalid input neither reach an instance nor pollute', async () => {
    const nested = await raw(
      '/v/order',
      `{"address":{"city":"x","zip":"12345","constructor":{"polluted":"yes"},"prototype":{"polluted":"yes"}},"items":[{"sku":"a","qty":1,"constructor":"x","prototype":{"polluted":"yes"}}]}`,
    );
    expect(nested.statusCode).toBe(200);
    const order = last as Order;
    expect(Object.keys(order.address).sort()).toEqual(['city', 'zip']);
    expect(Object.keys(order.items[0]!).sort()).toEqual(['qty', 'sku']);
    expect(order.address.constructor).toBe(Address);
    expect(order.items[0]!.constructor).toBe(LineItem);

    // The failing path words its errors with class-transformer over the raw input.
    const invalid = await raw('/v/order', `{"address":{"city":1,"constructor":{"polluted":"yes"},"prototype":{"polluted":"yes"}},"items":[],"constructor":{"polluted":"yes"}}`);
    expect(invalid.statusCode).toBe(422);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(invalid.json())).not.toContain('polluted');
  });

  test('the instance has exactly the declared properties and the DTO class as prototype', async () => {
    await postJson(app, '/v/product', { ...validProduct, isAdmin: true, role: 'root' });

    expect(Object.getPrototypeOf(last)).toBe(Product.prototype);
    expect(Object.keys(last as object).sort()).toEqual(Object.keys(validProduct).sort());
  });
});

describe('a body that is not an object where a DTO is expected', () => {
  test.each([
    ['[]', '/v/product'],
    ['[{"name":"pen"}]', '/v/product'],
    ['"str"', '/v/product'],
    ['42', '/v/product'],
    ['true', '/v/product'],
    ['null', '/v/product'],
    ['[]', '/v/contact'],
    ['null', '/v/signup'],
    ['"str"', '/v/profile'],
  ])('%s to %s -> 422, the handler is not called', async (payload, url) => {
    const res = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });

    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ statusCode: 422, details: [{ path: '', messages: ['body must be a JSON object'] }] });
    expect(calls).toBe(0);
  });

  test('no body at all -> 422, the handler is not called', async () => {
    const res = await app.inject({ method: 'POST', url: '/v/product' });

    expect(res.statusCode).toBe(422);
    expect(calls).toBe(0);
  });

  test('an empty body declared as JSON -> 400 or 422, never a handler call', async () => {
    const res = await app.inject({ method: 'POST', url: '/v/product', payload: '', headers: { 'content-type': 'application/json' } });

    expect([400, 422]).toContain(res.statusCode);
    expect(calls).toBe(0);
  });
});

describe('class-transformer features (@Expose, @Transform, @Type(() => Date))', () => {
  test('such DTOs take the class-transformer path', () => {
    expect(dtoShape(Profile).needsClassTransformer).toBe(true);
  });

  test('@Expose({ name }) maps the input name; @Transform runs before validation, as with class-validator', async () => {
    const res = await postJson(app, '/v/profile', { display_name: 'Ada', nick: '  ada  ', role: 'ADMIN', junk: 1 });

    expect(res.statusCode).toBe(200);
    expect(last).toBeInstanceOf(Profile);
    expect({ ...(last as object) }).toEqual({ displayName: 'Ada', nick: 'ada', role: 'admin' });
    expect(ctCalls()).toBeGreaterThan(0);
  });

  test('invalid input after the transform is a 422 in the same shape', async () => {
    const res = await postJson(app, '/v/profile', { display_name: 'Ada', nick: '  toolong  ', role: 'guest' });

    expect(res.statusCode).toBe(422);
    const details = (res.json().details as Details).sort((a, b) => a.path.localeCompare(b.path));
    expect(details).toEqual([
      { path: 'nick', messages: ['nick must be shorter than or equal to 5 characters'] },
      { path: 'role', messages: ['role must be one of the following values: admin, user'] },
    ]);
  });

  test('@Type(() => Date) @IsDate() gives the handler a Date', async () => {
    const res = await postJson(app, '/v/appointment', { at: '2024-05-06T07:08:09.000Z' });

    expect(res.statusCode).toBe(200);
    expect((last as Appointment).at).toBeInstanceOf(Date);
    expect((last as Appointment).at.toISOString()).toBe('2024-05-06T07:08:09.000Z');

    const bad = await postJson(app, '/v/appointment', { at: 'not a date' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details).toEqual([{ path: 'at', messages: ['at must be a Date instance'] }]);
  });
});

describe('nesting depth', () => {
  function deepTreeJson(levels: number): string {
    return '{"name":"n","children":['.repeat(levels - 1) + '{"name":"leaf"}' + ']}'.repeat(levels - 1);
  }

  test('a recursive DTO 10 levels deep is built with instances all the way down', async () => {
    const res = await postJson(app, '/v/tree', tree(10));

    expect(res.statusCode).toBe(200);
    let node = last as TreeNode;
    let depth = 1;
    while (node.children) {
      expect(node).toBeInstanceOf(TreeNode);
      node = node.children[0]!;
      depth++;
    }
    expect(node).toBeInstanceOf(TreeNode);
    expect(depth).toBe(10);
  });

  test('a recursive DTO 40 levels deep -> 422 (the cap is 32)', async () => {
    const res = await postJson(app, '/v/tree', tree(40));

    expect(res.statusCode).toBe(422);
    expect(res.json().details).toEqual([{ path: '', messages: ['body is nested more than 32 levels deep'] }]);
    expect(calls).toBe(0);
  });

  test('a 100,000-level nested body -> 400 or 422, never 500, and the server still answers', async () => {
    const bodies: Array<[string, string]> = [
      ['/v/tree', deepTreeJson(100_000)],
      ['/v/bag', `{"name":"x","stuff":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
      ['/v/tbag', `{"name":"x","stuff":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
      ['/v/product', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
      ['/v/order', `{"address":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)},"items":[]}`],
    ];
    for (const [url, payload] of bodies) {
      const res = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
      expect({ url, refused: [400, 422].includes(res.statusCode), status: res.statusCode }).toMatchObject({ url, refused: true });
    }
    expect(calls).toBe(0);

    const after = await postJson(app, '/v/tree', tree(3));
    expect(after.statusCode).toBe(200);
  });

  test('deep input under an unknown key, within the cap, is stripped (bounded DTOs and free-form ones alike)', async () => {
    // Under the 32-level cap: the body, `address`, then 29 arrays.
    const deep = `${'['.repeat(29)}${']'.repeat(29)}`;
    const bounded = await app.inject({
      method: 'POST',
      url: '/v/order',
      payload: `{"address":{"city":"x","zip":"12345","junk":${deep}},"items":[],"junk":${deep}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(bounded.statusCode).toBe(200);
    expect(Object.keys(last as object).sort()).toEqual(['address', 'items']);
    expect(Object.keys((last as Order).address).sort()).toEqual(['city', 'zip']);

    const freeForm = await app.inject({ method: 'POST', url: '/v/bag', payload: `{"name":"x","junk":${deep}}`, headers: { 'content-type': 'application/json' } });
    expect(freeForm.statusCode).toBe(200);
    expect(Object.keys(last as object)).toEqual(['name']);
  });

  test('deeper than 32 levels anywhere, even under an unknown key, is refused when the body is parsed', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const res = await app.inject({
      method: 'POST',
      url: '/v/order',
      payload: `{"address":{"city":"x","zip":"12345"},"items":[],"junk":${deep}}`,
      headers: { 'content-type': 'application/json' },
    });

    expect(res.statusCode).toBe(422);
    expect(res.json().details).toEqual([{ path: '', messages: ['body is nested more than 32 levels deep'] }]);
    expect(calls).toBe(0);
  });
});

describe('error answers never echo huge input', () => {
  const huge = 'a'.repeat(100 * 1024);

  test.each<[string, Record<string, unknown>]>([
    ['/v/product', { ...validProduct, title: huge }], // MaxLength(10), schema path
    ['/v/product', { ...validProduct, price: huge }], // wrong type
    ['/v/product', { ...validProduct, size: huge }], // IsIn
    ['/v/contact', { ...validContact, email: huge }], // class-validator path
    ['/v/echo', { word: huge }], // a custom message that quotes $value
    ['/v/profile', { display_name: huge, nick: huge, role: huge }], // class-transformer path
  ])('a 100 KB value to %s -> 422 with a small body', async (url, body) => {
    const res = await postJson(app, url, body);

    expect(res.statusCode).toBe(422);
    expect(res.body.length).toBeLessThan(2048);
    expect(res.body).not.toContain('a'.repeat(400));
  });

  test('a huge unknown key is stripped, not echoed', async () => {
    const res = await postJson(app, '/v/product', { ...validProduct, [huge]: 1, name: 5 });

    expect(res.statusCode).toBe(422);
    expect(res.body.length).toBeLessThan(2048);
  });

  test('thousands of invalid array elements do not make a huge answer', async () => {
    const items = Array.from({ length: 5000 }, () => ({ sku: 1, qty: 0 }));
    const res = await postJson(app, '/v/order', { address: validOrder.address, items });

    expect(res.statusCode).toBe(422);
    expect(res.body.length).toBeLessThan(64 * 1024);
    expect(res.json().details.length).toBeGreaterThan(0);
  });
});
