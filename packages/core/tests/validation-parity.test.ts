// Compiled checks against class-validator itself: a table of DTOs × inputs goes through
// class-validator directly (plainToInstance + validateSync with whitelist, as NestJS's
// ValidationPipe does) and through a Cello route, and both must agree on valid/invalid, on the
// messages and on the instance the handler gets. The common decorators (IsNotEmpty, IsEmail,
// IsUUID, Matches, Length...) must not run class-validator's pipeline on valid input.

// Counts calls into class-validator's pipeline (pass-through wrappers).
jest.mock('class-validator', () => {
  const actual = jest.requireActual('class-validator');
  return { ...actual, validate: jest.fn(actual.validate), validateSync: jest.fn(actual.validateSync) };
});

import { plainToInstance, Type } from 'class-transformer';
import * as classValidator from 'class-validator';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotEmpty,
  Contains,
  Equals,
  IsAlphanumeric,
  IsArray,
  IsBoolean,
  IsDate,
  IsDateString,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsLowercase,
  IsNegative,
  IsNotEmpty,
  IsNotIn,
  IsNumber,
  IsNumberString,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxDate,
  MaxLength,
  Min,
  MinDate,
  MinLength,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  type ValidationError,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { App, Body, Controller, Post, Query, Get } from '@cello/core';
import { dtoShape } from '../src/validation/dto-schema';

const pipelineCalls = (): number =>
  (classValidator.validate as jest.Mock).mock.calls.length + (classValidator.validateSync as jest.Mock).mock.calls.length;

// ---------------------------------------------------------------------------------------------
// DTOs: every one of these must be checked without class-validator's pipeline.
// ---------------------------------------------------------------------------------------------

class Offer {
  @IsString()
  @IsNotEmpty()
  name!: string;

  @IsNumber()
  @Min(0)
  price!: number;

  @IsEmail()
  email!: string;
}

// IsNotEmpty alone: refuses '', null and undefined only.
class Presence {
  @IsNotEmpty()
  value!: unknown;
}

class Optionals {
  @IsOptional()
  @IsNotEmpty()
  note?: string;

  @IsOptional()
  @IsEmail()
  contact?: string;

  @IsOptional()
  @IsUUID()
  id?: string;
}

class Formats {
  @IsUUID('4')
  id!: string;

  @IsDateString()
  when!: string;

  @IsISO8601({ strict: true })
  at!: string;

  @Matches(/^[A-Z]{3}-\d+$/)
  ref!: string;

  @Matches('^abc$', 'i')
  caseless!: string;

  @IsUrl()
  site!: string;

  @IsUrl({ require_protocol: true })
  link!: string;
}

// validator.js counts "❤️" (a character and a variation selector) as one character;
// JSON Schema's minLength/maxLength count two.
class Lengths {
  @Length(1, 3)
  code!: string;

  @IsString()
  @MinLength(2)
  min!: string;

  @MaxLength(2)
  max!: string;
}

class Numbers {
  @IsPositive()
  positive!: number;

  @IsNegative()
  negative!: number;

  @IsInt()
  @Max(10)
  int!: number;

  @IsNumber({ maxDecimalPlaces: 2 })
  money!: number;
}

class Collections {
  @IsIn(['s', 'm', 'l'])
  size!: string;

  @IsNotIn(['root'])
  user!: string;

  @IsBoolean()
  active!: boolean;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  tags!: string[];

  @ArrayNotEmpty()
  ids!: number[];
}

class Strings {
  @IsAlphanumeric()
  handle!: string;

  @IsLowercase()
  @Contains('-')
  slug!: string;

  @IsNumberString()
  digits!: string;

  @Equals('yes')
  consent!: string;
}

class Line {
  @IsNotEmpty()
  @IsString()
  sku!: string;

  @IsPositive()
  qty!: number;
}

class Order {
  @IsEmail()
  email!: string;

  @ValidateNested()
  @Type(() => Line)
  lines!: Line[];

  @IsOptional()
  @ValidateNested()
  @Type(() => Line)
  gift?: Line;
}

// A field initialiser: class-validator checks the instance, which has the default.
class WithDefault {
  @IsNotEmpty()
  role: string = 'user';

  @IsDefined()
  @IsEmail()
  email!: string;

  @Allow()
  anything?: unknown;
}

// A Date property: the factory makes the Date, then @IsDate/@MinDate run on it. (@Type is for
// class-validator run directly; Cello needs no @Type for a Date.)
class Booking {
  @Type(() => Date)
  @IsDate()
  @MinDate(new Date('2024-01-01T00:00:00Z'))
  @MaxDate(new Date('2030-01-01T00:00:00Z'))
  at!: Date;

  @IsNotEmpty()
  who!: string;
}

// The same without @Type, as Cello's README writes a Date property.
class Slot {
  @IsDate()
  at!: Date;

  @IsNotEmpty()
  who!: string;
}

// ---------------------------------------------------------------------------------------------
// DTOs that keep the full pipeline (the fallback rule), checked for parity all the same.
// ---------------------------------------------------------------------------------------------

@ValidatorConstraint({ name: 'isEven' })
class IsEven implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'number' && value % 2 === 0;
  }

  defaultMessage(): string {
    return '$property must be an even number';
  }
}

class Custom {
  @IsNotEmpty()
  name!: string;

  @Validate(IsEven)
  even!: number;
}

class Each {
  @IsEmail({}, { each: true })
  emails!: string[];
}

class Conditional {
  @IsBoolean()
  hasEmail!: boolean;

  @ValidateIf((o: Conditional) => o.hasEmail)
  @IsEmail()
  email?: string;
}

class PerConstraintCondition {
  @IsString()
  kind!: string;

  @IsEmail({}, { validateIf: (o: PerConstraintCondition) => o.kind === 'email' })
  @IsNotEmpty()
  address!: string;
}

class Grouped {
  @IsEmail({}, { groups: ['strict'] })
  @IsNotEmpty()
  email!: string;
}

const compiled = [Offer, Presence, Optionals, Formats, Lengths, Numbers, Collections, Strings, Order, Line, WithDefault, Booking];
const fallback = [Custom, Each, Conditional, PerConstraintCondition];

const valid = {
  offer: { name: 'Pen', price: 1.5, email: 'ann@example.com' },
  formats: {
    id: '3b241101-e2bb-4255-8caf-4136c566a962',
    when: '2024-02-29T12:00:00Z',
    at: '2024-02-29',
    ref: 'ABC-12',
    caseless: 'ABC',
    site: 'example.com',
    link: 'https://example.com/a?b=c',
  },
  lengths: { code: 'abc', min: 'ab', max: 'ab' },
  numbers: { positive: 1, negative: -1, int: 10, money: 1.25 },
  collections: { size: 'm', user: 'ann', active: false, tags: ['a'], ids: [1] },
  strings: { handle: 'ann42', slug: 'a-b', digits: '0042', consent: 'yes' },
  order: { email: 'ann@example.com', lines: [{ sku: 'pen', qty: 1 }] },
};

// [route, DTO, inputs]: each input is compared between class-validator and Cello.
const table: Array<[string, Function, unknown[]]> = [
  ['offer', Offer, [
    valid.offer,
    { ...valid.offer, name: '' },
    { ...valid.offer, name: ' ' },
    { ...valid.offer, name: null },
    { price: 1, email: 'ann@example.com' },
    { ...valid.offer, price: -1 },
    { ...valid.offer, email: 'ann@' },
    { ...valid.offer, email: 'josé@example.com' },
    { ...valid.offer, email: 42 },
    { ...valid.offer, extra: 'dropped' },
    {},
  ]],
  ['presence', Presence, [
    { value: 0 }, { value: false }, { value: ' ' }, { value: [] }, { value: {} }, { value: 'x' },
    { value: '' }, { value: null }, {},
  ]],
  ['optionals', Optionals, [
    {}, { note: null, contact: null, id: null }, { note: 'x' }, { note: '' }, { contact: 'ann@example.com' },
    { contact: 'nope' }, { contact: '' }, { id: '3b241101-e2bb-4255-8caf-4136c566a962' }, { id: 'nope' }, { note: 0 },
  ]],
  ['formats', Formats, [
    valid.formats,
    { ...valid.formats, id: '3b241101-e2bb-1255-8caf-4136c566a962' }, // a v1 UUID
    { ...valid.formats, id: 'nope' },
    { ...valid.formats, when: '2024-02-30' },
    { ...valid.formats, when: '2024-13-01' },
    { ...valid.formats, when: 20240229 },
    { ...valid.formats, at: '2023-02-29' }, // strict: no such day
    { ...valid.formats, ref: 'abc-12' },
    { ...valid.formats, ref: 'ABC-12\n' },
    { ...valid.formats, caseless: 'aBc' },
    { ...valid.formats, caseless: 'abcd' },
    { ...valid.formats, site: 'not a url' },
    { ...valid.formats, site: 'http://localhost:3000' },
    { ...valid.formats, link: 'example.com' },
    { ...valid.formats, link: 7 },
    {},
  ]],
  ['lengths', Lengths, [
    valid.lengths,
    { code: '❤️❤️❤️', min: '❤️x', max: '❤️❤️' },
    { code: '', min: 'a', max: 'abc' },
    { code: 'abcd', min: '❤️', max: '𝄞𝄞' },
    { code: '𝄞𝄞𝄞', min: '𝄞𝄞', max: '𝄞𝄞𝄞' },
    { code: 'ab❤️', min: '\uFE0F', max: '\uFE0F\uFE0F' },
    { code: 'abc\uFE0E', min: 'x\uFE0E', max: '\uD83D' },
    { code: '\uDE00\uD83D', min: 'é', max: 'éé' },
    { code: 12, min: 12, max: 12 },
    {},
  ]],
  ['numbers', Numbers, [
    valid.numbers,
    { positive: 0, negative: 0, int: 10.5, money: 1.255 },
    { positive: '1', negative: '-1', int: '1', money: '1' },
    { ...valid.numbers, int: 11 },
    { ...valid.numbers, money: 3 },
    {},
  ]],
  ['collections', Collections, [
    valid.collections,
    { ...valid.collections, size: 'xl', user: 'root', active: 'true', tags: [], ids: [] },
    { ...valid.collections, tags: ['a', 'b', 'c'], ids: 'x' },
    { ...valid.collections, tags: 'a' },
    {},
  ]],
  ['strings', Strings, [
    valid.strings,
    { handle: 'ann 42', slug: 'A-b', digits: '4x', consent: 'no' },
    { handle: '', slug: 'ab', digits: '', consent: 'YES' },
    { handle: 1, slug: 1, digits: 1, consent: 1 },
    {},
  ]],
  ['order', Order, [
    valid.order,
    { ...valid.order, lines: [{ sku: '', qty: 1 }, { sku: 'pen', qty: 0 }] },
    { ...valid.order, lines: [{ qty: 1, extra: true }] },
    { ...valid.order, gift: { sku: 'card', qty: 1 } },
    { ...valid.order, gift: { sku: '', qty: -1 } },
    { ...valid.order, gift: null },
    { email: 'nope', lines: [] },
  ]],
  ['default', WithDefault, [
    { email: 'ann@example.com' },
    { email: 'ann@example.com', role: '' },
    { email: 'ann@example.com', role: null },
    { email: null },
    { role: 'admin' },
    { email: 'ann@example.com', anything: { deep: [1] } },
  ]],
  ['booking', Booking, [
    { at: '2024-05-06T09:00:00Z', who: 'ann' },
    { at: '2024-05-06T09:00:00Z', who: '' },
    { at: '2023-05-06T09:00:00Z', who: 'ann' },
    { at: '2031-05-06T09:00:00+02:00', who: 'ann' },
    { at: 'tomorrow', who: 'ann' },
  ]],
  ['custom', Custom, [{ name: 'a', even: 2 }, { name: '', even: 3 }, {}]],
  ['each', Each, [{ emails: ['ann@example.com'] }, { emails: ['ann@example.com', 'nope'] }, { emails: 'ann@example.com' }, { emails: 'nope' }]],
  ['conditional', Conditional, [{ hasEmail: false }, { hasEmail: true }, { hasEmail: true, email: 'nope' }, { hasEmail: false, email: 'nope' }]],
  ['per-constraint', PerConstraintCondition, [
    { kind: 'email', address: 'ann@example.com' }, { kind: 'email', address: 'nope' }, { kind: 'phone', address: 'nope' }, { kind: 'phone', address: '' },
  ]],
  ['grouped', Grouped, [{ email: 'ann@example.com' }, { email: 'nope' }, { email: '' }]],
];

let last: unknown;

@Controller('/p')
class ParityController {
  @Post('/offer') offer(@Body() dto: Offer) { return (last = dto), {}; }
  @Post('/presence') presence(@Body() dto: Presence) { return (last = dto), {}; }
  @Post('/optionals') optionals(@Body() dto: Optionals) { return (last = dto), {}; }
  @Post('/formats') formats(@Body() dto: Formats) { return (last = dto), {}; }
  @Post('/lengths') lengths(@Body() dto: Lengths) { return (last = dto), {}; }
  @Post('/numbers') numbers(@Body() dto: Numbers) { return (last = dto), {}; }
  @Post('/collections') collections(@Body() dto: Collections) { return (last = dto), {}; }
  @Post('/strings') strings(@Body() dto: Strings) { return (last = dto), {}; }
  @Post('/order') order(@Body() dto: Order) { return (last = dto), {}; }
  @Post('/default') withDefault(@Body() dto: WithDefault) { return (last = dto), {}; }
  @Post('/booking') booking(@Body() dto: Booking) { return (last = dto), {}; }
  @Post('/slot') slot(@Body() dto: Slot) { return (last = dto), {}; }
  @Post('/custom') custom(@Body() dto: Custom) { return (last = dto), {}; }
  @Post('/each') each(@Body() dto: Each) { return (last = dto), {}; }
  @Post('/conditional') conditional(@Body() dto: Conditional) { return (last = dto), {}; }
  @Post('/per-constraint') perConstraint(@Body() dto: PerConstraintCondition) { return (last = dto), {}; }
  @Post('/grouped') grouped(@Body() dto: Grouped) { return (last = dto), {}; }
  @Get('/search') search(@Query() dto: Optionals) { return (last = dto), {}; }
}

let app: App;

beforeAll(async () => {
  app = new App({ controllers: [ParityController], logger: false });
  await app.inject({ method: 'GET', url: '/p/search' });
});

afterAll(async () => {
  await app.close();
});

function postJson(url: string, body: unknown) {
  return app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

// class-validator's answer, flattened the way Cello's 422 reports it.
function flatten(errors: readonly ValidationError[], parent = '', parentValue?: unknown): Array<{ path: string; messages: string[] }> {
  return errors.flatMap((e) => {
    const path = Array.isArray(parentValue) ? `${parent}[${e.property}]` : parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ path, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], path, e.value)];
  });
}

function classValidatorSays(type: Function, input: unknown): { instance: object; details: Array<{ path: string; messages: string[] }> } {
  const instance = plainToInstance(type as new () => object, JSON.parse(JSON.stringify(input)) as object);
  const errors = jest.requireActual<typeof classValidator>('class-validator').validateSync(instance, { whitelist: true, forbidUnknownValues: false });
  return { instance, details: flatten(errors) };
}

describe('which DTOs skip class-validator\'s pipeline', () => {
  test.each(compiled.map((t) => [t.name, t] as const))('%s is checked by the schema and compiled checks only', (_name, type) => {
    expect(dtoShape(type).needsClassValidator).toBe(false);
  });

  test.each(fallback.map((t) => [t.name, t] as const))('%s falls back to the full pipeline', (_name, type) => {
    expect(dtoShape(type).needsClassValidator).toBe(true);
  });

  test('valid input with IsNotEmpty, IsEmail, IsUUID, Matches, Length... never calls class-validator', async () => {
    (classValidator.validateSync as jest.Mock).mockClear();
    (classValidator.validate as jest.Mock).mockClear();
    for (const [route, body] of [['offer', valid.offer], ['formats', valid.formats], ['lengths', valid.lengths], ['order', valid.order]] as const) {
      expect((await postJson(`/p/${route}`, body)).statusCode).toBe(200);
    }
    expect(pipelineCalls()).toBe(0);
  });

  test('invalid input is worded by class-validator itself', async () => {
    (classValidator.validateSync as jest.Mock).mockClear();
    const res = await postJson('/p/offer', { ...valid.offer, name: '' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'Validation failed',
      details: [{ path: 'name', messages: ['name should not be empty'] }],
    });
    expect(pipelineCalls()).toBe(1);
  });
});

test('a refused DTO with a valid Date property names only what is wrong (the date is not worded as invalid)', async () => {
  const ok = await postJson('/p/slot', { at: '2024-05-06T09:00:00Z', who: 'ann' });
  expect(ok.statusCode).toBe(200);
  expect((last as Slot).at).toEqual(new Date('2024-05-06T09:00:00Z'));

  const res = await postJson('/p/slot', { at: '2024-05-06T09:00:00Z', who: '' });
  expect(res.statusCode).toBe(422);
  expect(res.json().details).toEqual([{ path: 'who', messages: ['who should not be empty'] }]);
});

describe('class-validator and Cello agree', () => {
  const cases = table.flatMap(([route, type, inputs]) => inputs.map((input) => [route, JSON.stringify(input), type, input] as const));

  test.each(cases)('%s %s', async (route, _shown, type, input) => {
    const expected = classValidatorSays(type, input);
    last = undefined;
    const res = await postJson(`/p/${route}`, input);

    if (expected.details.length === 0) {
      expect(res.json()).toEqual({});
      expect(res.statusCode).toBe(200);
      expect(last).toBeInstanceOf(type);
      expect(last).toEqual(expected.instance);
    } else {
      expect(res.statusCode).toBe(422);
      expect(res.json().details).toEqual(expected.details);
      expect(last).toBeUndefined();
    }
  });

  test.each([
    ['', {}],
    ['?note=x&contact=ann%40example.com', { note: 'x', contact: 'ann@example.com' }],
    ['?note=&contact=nope', { note: '', contact: 'nope' }],
  ])('a query DTO: %s', async (query, input) => {
    const expected = classValidatorSays(Optionals, input);
    last = undefined;
    const res = await app.inject({ method: 'GET', url: `/p/search${query}` });

    if (expected.details.length === 0) {
      expect(res.statusCode).toBe(200);
      expect(last).toEqual(expected.instance);
    } else {
      expect(res.statusCode).toBe(422);
      expect(res.json().details).toEqual(expected.details);
    }
  });
});
