import { CliError } from './cli-error.js';

/** The spellings of one name that generated files need. */
export interface Names {
  /** `user-profile`: file names and URL paths. */
  kebab: string;
  /** `UserProfile`: classes. */
  pascal: string;
  /** `userProfile`: functions and variables. */
  camel: string;
}

const kSuffixes = ['controller', 'service', 'guard', 'dto', 'middleware'];

/**
 * Splits `user-profile`, `user_profile`, `UserProfile` or `userProfile` into lower-case words.
 * Returns null for anything that is not a usable identifier (`123`, `a b`, `''`).
 */
function toWords(input: string): string[] | null {
  if (!/^[A-Za-z][A-Za-z0-9]*([-_][A-Za-z0-9]+)*$/.test(input)) return null;
  return input
    .split(/[-_]/)
    // Splits camel humps, keeping acronyms and trailing digits together: `HTTPServer` ->
    // `HTTP`, `Server`; `oauth2Client` -> `oauth2`, `Client`.
    .flatMap((part) => part.match(/[A-Z]+[0-9]*(?![a-z])|[A-Z]?[a-z]+[0-9]*|[0-9]+/g) ?? [])
    .map((w) => w.toLowerCase());
}

/**
 * Converts a generator name into its spellings. A trailing kind (`users-controller` for a
 * controller) is dropped so the class does not end up as `UsersControllerController`.
 */
export function toNames(input: string, kind?: string): Names {
  const words = toWords(input.trim());
  if (words === null || words.length === 0) {
    throw new CliError(
      `"${input}" is not a valid name: use letters and digits, starting with a letter, words joined by - or _ (e.g. user-profile).`,
    );
  }
  if (kind !== undefined && kSuffixes.includes(kind) && words.length > 1 && words[words.length - 1] === kind) words.pop();
  const pascal = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return { kebab: words.join('-'), pascal, camel: pascal[0]!.toLowerCase() + pascal.slice(1) };
}

/** npm's rules for an unscoped package name, kept to what also works as a folder name. */
export function assertProjectName(name: string): void {
  if (!/^[a-z][a-z0-9._-]*$/.test(name) || name.length > 214) {
    throw new CliError(
      `"${name}" is not a valid project name: use lower-case letters, digits, '-', '.' or '_', starting with a letter (e.g. my-app).`,
    );
  }
}
