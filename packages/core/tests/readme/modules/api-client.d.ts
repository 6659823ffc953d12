// The declarations of what `cello client --out src/api-client.ts` writes for the README's
// "Typed client" app (UsersController.get, ItemsController.create/list, GET /hello), so its
// snippet type-checks. The real file is generated: see packages/cli/tests/client.test.ts.

export type HeaderValues = Record<string, string | number | boolean | undefined>;

export interface ClientOptions {
  fetch?: (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{
    readonly status: number;
    readonly headers: { forEach(callback: (value: string, name: string) => void): void };
    text(): Promise<string>;
  }>;
  headers?: HeaderValues | (() => HeaderValues | Promise<HeaderValues>);
}

export interface CallOptions {
  signal?: AbortSignal;
  headers?: HeaderValues;
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  details?: unknown;
}

export declare class CelloClientError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: ErrorBody | undefined;
  readonly text: string;
  readonly method: string;
  readonly url: string;
}

interface Item {
  id: number;
  name: string;
  price: number;
}

export declare function createClient(baseUrl: string, options?: ClientOptions): {
  users: {
    get(input: { params: { id: number } } & CallOptions): Promise<{ user: { id: number; name: string } }>;
  };
  items: {
    create(input: { body: { name: string; price: number } } & CallOptions): Promise<Item>;
    list(input?: { query?: { page?: number; tags?: string[] } } & CallOptions): Promise<{ items: Item[]; page: number }>;
  };
  routes: {
    'GET /hello'(input?: { query?: Record<string, string | number | boolean | undefined> } & CallOptions): Promise<{ message: string }>;
  };
};

export type Client = ReturnType<typeof createClient>;
