// The type-level half of the generated client, as source text: how the server's declared types
// become the types of what a caller sends and receives.

const argTypes = `/** The declared type of parameter \`I\` of handler \`K\` of controller \`C\`. */
export type Arg<C, K extends keyof C, I extends number> = C[K] extends (...args: infer A) => unknown ? A[I] : never;

/** What may be sent as JSON for a value of type T: its data properties (methods dropped), dates as Date or string. */
export type Sent<T> = T extends Date
  ? Date | string
  : T extends (...args: never) => unknown
    ? never
    : T extends readonly (infer U)[]
      ? Sent<U>[]
      : T extends object
        ? { [K in keyof T as T[K] extends (...args: never) => unknown ? never : K]: Sent<T[K]> }
        : T;

/** What a value of type T becomes once sent as JSON and parsed again. */
export type Received<T> = T extends { toJSON(): infer J }
  ? J
  : T extends (...args: never) => unknown
    ? never
    : T extends readonly (infer U)[]
      ? Received<U>[]
      : T extends object
        ? { [K in keyof T as T[K] extends (...args: never) => unknown ? never : K]: Received<T[K]> }
        : T;

/** A path parameter: a number or string as declared; other types are sent as strings. */
export type PathValue<T> = [T] extends [number] ? number : [T] extends [string] ? T : string | number;
`;

const resultTypes = `/** Cello's \`Response\`, recognized by its shape so that this file imports nothing from Cello. */
export interface CelloResponse {
  readonly status: number;
  readonly headers: object;
  readonly body: unknown;
  readonly kind: string;
}

/**
 * What a call resolves to for a handler result R: a \`Response\` is its declared body D (the
 * route's \`response:\` DTO) or unknown; nothing (204) is undefined; anything else its JSON.
 */
export type Result<R, D> = R extends CelloResponse
  ? D
  : R extends undefined | null | void
    ? undefined
    : R extends Uint8Array
      ? string // a Buffer is sent as application/octet-stream and read as text
      : Received<R>;

/** The result of handler \`K\` of controller \`C\`. */
export type Out<C, K extends keyof C, D = unknown> = C[K] extends (...args: never) => infer R ? Result<Awaited<R>, D> : never;

/** The result of a functional route's handler F. */
export type FnOut<F, D = unknown> = F extends (...args: never) => infer R ? Result<Awaited<R>, D> : unknown;
`;

const inputTypes = `/** Keys whose value may be left out: it accepts undefined, or is an object whose keys all may. */
export type OptionalKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : {} extends T[K] ? K : never }[keyof T];

/** T with every key that may be left out made optional. */
export type Compact<T> = { [K in Exclude<keyof T, OptionalKeys<T>>]: T[K] } & { [K in OptionalKeys<T>]?: T[K] };

/** A method's arguments: the input may be left out when nothing in it is required. */
export type Args<I> = {} extends Compact<I> ? [input?: Compact<I> & CallOptions] : [input: Compact<I> & CallOptions];

/** Query values as the server parses them. */
export type QueryValues = Record<string, string | number | boolean | Date | readonly (string | number | boolean | Date)[] | undefined>;
`;

/** The helper types every generated client uses. */
export function typeHelpersSource(): string {
  return [argTypes, resultTypes, inputTypes].join('\n');
}
