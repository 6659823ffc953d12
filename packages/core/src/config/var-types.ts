import { envVar as makeVar, refused, type EnvVar, type Refusal, type VarOptions } from './env-var.js';

// The conditional `Typed` result cannot be checked against a generic body; each maker states it.
const envVar = makeVar as (expected: string, options: VarOptions<any>, parse: (text: string) => unknown) => any;

/** Numbers: `min` and `max` inclusive. */
export interface NumberOptions<T> extends VarOptions<T> {
  min?: number;
  max?: number;
}

export interface StringOptions extends VarOptions<string> {
  /** Fewest characters accepted (keys, secrets). */
  minLength?: number;
}

export interface UrlOptions extends VarOptions<string> {
  /** Accepted schemes without `:`, e.g. `['redis', 'rediss']` (default: any). */
  protocols?: readonly string[];
}

/** Required unless `optional` or a `default` is given: the value type says which. */
type Typed<T, O> = O extends { default: {} } ? EnvVar<T> : O extends { optional: true } ? EnvVar<T | undefined> : EnvVar<T>;

function range(kind: string, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${kind} ${min}-${max}`;
  if (min !== undefined) return `${kind} >= ${min}`;
  if (max !== undefined) return `${kind} <= ${max}`;
  return kind;
}

function inRange(n: number, o: NumberOptions<number>): number | Refusal {
  return (o.min !== undefined && n < o.min) || (o.max !== undefined && n > o.max) ? refused : n;
}

export function string<const O extends StringOptions = {}>(options: O = {} as O): Typed<string, O> {
  const min = options.minLength;
  if (min === undefined) return envVar('a non-empty string', options, (text) => text);
  return envVar(`a string of at least ${min} characters`, options, (text) => (text.length >= min ? text : refused));
}

export function int<const O extends NumberOptions<number> = {}>(options: O = {} as O): Typed<number, O> {
  return envVar(range('an integer', options.min, options.max), options, (text) => {
    const t = text.trim();
    return /^[+-]?\d+$/.test(t) && Number.isSafeInteger(Number(t)) ? inRange(Number(t), options) : refused;
  });
}

export function number<const O extends NumberOptions<number> = {}>(options: O = {} as O): Typed<number, O> {
  return envVar(range('a number', options.min, options.max), options, (text) => {
    const n = text.trim() === '' ? NaN : Number(text);
    return Number.isFinite(n) ? inRange(n, options) : refused;
  });
}

const truthy = new Set(['true', '1', 'yes', 'on']);
const falsy = new Set(['false', '0', 'no', 'off']);

export function boolean<const O extends VarOptions<boolean> = {}>(options: O = {} as O): Typed<boolean, O> {
  return envVar('true or false (or 1/0, yes/no, on/off)', options, (text) => {
    const t = text.trim().toLowerCase();
    return truthy.has(t) ? true : falsy.has(t) ? false : refused;
  });
}

export function url<const O extends UrlOptions = {}>(options: O = {} as O): Typed<string, O> {
  const protocols = options.protocols?.map((p) => `${p.replace(/:$/, '')}:`);
  const expected = protocols === undefined ? 'a URL' : `a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`;
  return envVar(expected, options, (text) => {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return refused;
    }
    return protocols === undefined || protocols.includes(parsed.protocol) ? text : refused;
  });
}

export function oneOf<const V extends readonly string[], const O extends VarOptions<V[number]> = {}>(values: V, options: O = {} as O): Typed<V[number], O> {
  return envVar(`one of ${values.join(', ')}`, options, (text) => (values.includes(text) ? text : refused));
}

/** A type of your own: `parse` returns the value, or undefined when the text is not acceptable. */
export function envVarOf<T>(expected: string, options: VarOptions<T>, parse: (text: string) => T | undefined): EnvVar<T> {
  return envVar(expected, options, (text) => {
    const value = parse(text);
    return value === undefined ? refused : value;
  });
}
