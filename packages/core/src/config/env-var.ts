/** Why a variable's value was refused; `expected` finishes "NAME must be ...". */
export interface Refusal {
  readonly refused: true;
}

const refused: Refusal = Object.freeze({ refused: true });

/**
 * One environment variable's type: how its text becomes a value and what it must look like.
 * Made by `Config.string()`, `Config.int()`, ...; read by `Config.fromEnv()`.
 */
export interface EnvVar<T> {
  /** "an integer 0-65535", "one of debug, info", ... */
  readonly expected: string;
  /** Whether the value is left out of error messages. */
  readonly secret: boolean;
  /** The value for the variable's text, or `undefined` text (unset or empty) for its default. */
  read(text: string | undefined): T | Refusal;
}

/** Options every `Config.*()` type takes. */
export interface VarOptions<T> {
  /** Used when the variable is unset or empty. */
  default?: T;
  /** Unset is fine: the value is `undefined`. */
  optional?: boolean;
  /** Keep the value out of error messages (keys, passwords). */
  secret?: boolean;
}

export function isRefusal(value: unknown): value is Refusal {
  return value === refused;
}

/** An EnvVar from a parser of non-empty text. */
export function envVar<T>(expected: string, options: VarOptions<T>, parse: (text: string) => T | Refusal): EnvVar<any> {
  const fallback = options.default;
  const optional = options.optional === true || fallback !== undefined;
  return Object.freeze({
    expected,
    secret: options.secret === true,
    read(text: string | undefined) {
      if (text === undefined || text === '') return optional ? fallback : refused;
      return parse(text);
    },
  });
}

export { refused };
