// The runtime half of the generated client, as source text. Each piece is one job; `runtimeSource()`
// joins them. packages/cli/tests/client-runtime.test.ts compiles and runs exactly this text.

const fetchTypes = `/** What the client needs of \`fetch\`: the global one, or one passed as \`options.fetch\`. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface FetchResponse {
  readonly status: number;
  readonly headers: { forEach(callback: (value: string, name: string) => void): void };
  text(): Promise<string>;
}

/** Header values; \`undefined\` leaves a header out. */
export type HeaderValues = Record<string, string | number | boolean | undefined>;

export interface ClientOptions {
  /** Defaults to the global \`fetch\` (Node.js 18+, browsers). */
  fetch?: FetchLike | undefined;
  /** Sent with every call: an object, or a function (sync or async) asked before each call. */
  headers?: HeaderValues | (() => HeaderValues | Promise<HeaderValues>) | undefined;
}

/** Per call, next to \`params\`, \`query\`, \`body\` and \`headers\`. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
  headers?: HeaderValues | undefined;
}
`;

const errorClass = `/** The body of every Cello error answer. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string | undefined;
  /** For 422: \`[{ path, messages }]\`, one entry per invalid field. */
  details?: unknown;
}

/** A non-2xx answer. Network failures and aborts are not wrapped: fetch's own error passes through. */
export class CelloClientError extends Error {
  readonly status: number;
  /** Response headers, lower-case names. */
  readonly headers: Record<string, string>;
  /** The parsed JSON error body, or undefined when the answer was not JSON (see \`text\`). */
  readonly body: ErrorBody | undefined;
  /** The raw body. */
  readonly text: string;
  readonly method: string;
  readonly url: string;

  constructor(status: number, headers: Record<string, string>, body: unknown, text: string, method: string, url: string) {
    const parsed = typeof body === 'object' && body !== null ? (body as ErrorBody) : undefined;
    super(\`\${method} \${url} answered \${status}\${parsed?.message ? \`: \${parsed.message}\` : ''}\`);
    this.name = 'CelloClientError';
    this.status = status;
    this.headers = headers;
    this.body = parsed;
    this.text = text;
    this.method = method;
    this.url = url;
  }
}
`;

const buildUrl = `function encodeValue(value: unknown): string {
  return value instanceof Date ? value.toISOString() : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function buildPath(method: string, pattern: string, params: Record<string, unknown>): string {
  return pattern.replace(/\\{([^}]+)\\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) throw new TypeError(\`\${method} \${pattern}: path parameter \${name} is missing\`);
    // A wildcard keeps its slashes; every other parameter is one path segment.
    return name === '*' ? encodeValue(value).split('/').map(encodeURIComponent).join('/') : encodeURIComponent(encodeValue(value));
  });
}

// As the server parses a query string: an array is a repeated key, booleans are true/false,
// dates ISO strings; undefined and null are left out.
function buildQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of Object.keys(query)) {
    const value = query[key];
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) parts.push(\`\${encodeURIComponent(key)}=\${encodeURIComponent(encodeValue(item))}\`);
    }
  }
  return parts.length === 0 ? '' : \`?\${parts.join('&')}\`;
}
`;

const buildHeaders = `function addHeaders(target: Record<string, string>, values: HeaderValues | undefined): void {
  if (values === undefined) return;
  for (const name of Object.keys(values)) {
    const value = values[name];
    if (value !== undefined) target[name.toLowerCase()] = String(value);
  }
}
`;

const readAnswer = `function readHeaders(response: FetchResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return headers;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  return contentType !== undefined && /[/+]json\\b/i.test(contentType) ? JSON.parse(text) : text;
}

function parseErrorBody(text: string, contentType: string | undefined): unknown {
  try {
    return parseBody(text, contentType);
  } catch {
    return undefined; // a proxy's HTML or a truncated body: \`text\` still has it
  }
}
`;

const caller = `/** What one generated method passes: the parts of the request plus per-call options. */
interface CallInput extends CallOptions {
  params?: object | undefined;
  query?: object | undefined;
  body?: unknown;
}

function caller(baseUrl: string, options: ClientOptions) {
  const base = baseUrl.replace(/\\/+$/, '');
  const globalFetch = (globalThis as unknown as { fetch?: FetchLike }).fetch;
  return async <T>(method: string, pattern: string, input: CallInput = {}): Promise<T> => {
    const send = options.fetch ?? globalFetch;
    if (send === undefined) throw new TypeError('no global fetch: pass one as createClient(baseUrl, { fetch })');
    const url = base + buildPath(method, pattern, (input.params ?? {}) as Record<string, unknown>) + buildQuery((input.query ?? {}) as Record<string, unknown>);
    const headers: Record<string, string> = { accept: 'application/json' };
    addHeaders(headers, typeof options.headers === 'function' ? await options.headers() : options.headers);
    addHeaders(headers, input.headers);
    const init: FetchInit = { method, headers };
    if (input.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(input.body);
    }
    if (input.signal !== undefined) init.signal = input.signal;
    const response = await send(url, init);
    const text = await response.text();
    const answerHeaders = readHeaders(response);
    if (response.status < 200 || response.status > 299) {
      throw new CelloClientError(response.status, answerHeaders, parseErrorBody(text, answerHeaders['content-type']), text, method, url);
    }
    return (response.status === 204 ? undefined : parseBody(text, answerHeaders['content-type'])) as T;
  };
}
`;

/** The client's runtime: types of its options, the error class and the one function that calls. */
export function runtimeSource(): string {
  return [fetchTypes, errorClass, buildUrl, buildHeaders, readAnswer, caller].join('\n');
}
