import { validationFailed } from './validation-error.js';
import type { HttpError } from '../http/http-error.js';

/**
 * Deepest nesting accepted in any input: every JSON body (checked at parse time) and every DTO.
 * Deeper values would overflow the stack of anything that recurses over them (class-transformer,
 * the response serializer echoing a body back).
 */
export const maxDepth = 32;

/** The 422 for input nested deeper than `maxDepth`; `source` is `body`, `query`, ... */
export function tooDeepError(source: string): HttpError {
  return validationFailed([{ path: '', messages: [`${source} is nested more than ${maxDepth} levels deep`] }]);
}

/**
 * Whether `value` nests objects/arrays deeper than `max` levels, checked without recursion so
 * that a hostile body cannot overflow the stack here either.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > max) return true;
    for (const key in current) stack.push([(current as Record<string, unknown>)[key], depth + 1]);
  }
  return false;
}

const quote = 0x22;
const backslash = 0x5c;
const openBrace = 0x7b;
const openBracket = 0x5b;
const closeBrace = 0x7d;
const closeBracket = 0x5d;

/**
 * The same test on JSON text, before it is parsed: one pass over the characters, brackets
 * inside strings ignored. Same counting as `nestsDeeperThan` on the parsed value (`{}` is 1
 * level). Malformed text is judged as far as it goes; the parser refuses it afterwards.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  // Nesting deeper than `max` takes more than `max` opening brackets, so more than 2 * max chars.
  if (text.length <= 2 * max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === backslash) i++;
      else if (c === quote) inString = false;
    } else if (c === quote) {
      inString = true;
    } else if (c === openBrace || c === openBracket) {
      if (++depth > max) return true;
    } else if (c === closeBrace || c === closeBracket) {
      depth--;
    }
  }
  return false;
}
