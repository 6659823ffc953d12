// The floor: every scenario hand-written on node:http, with no framework at all.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { buildReport, Catalog } from '../fixtures/catalog.js';
import { parseItem } from '../fixtures/create-item.js';
import { parseOffer } from '../fixtures/create-offer.js';
import { verifyToken } from '../fixtures/jwt.js';
import { pool } from '../fixtures/pool.js';
import { host, port } from '../fixtures/port.js';
import { FixedWindowLimiter, rateLimit } from '../fixtures/rate-limit.js';
import { ResponseCache } from '../fixtures/response-cache.js';

const catalog = new Catalog();
const cache = new ResponseCache(60);
const limiter = new FixedWindowLimiter();

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value));
}

function fail(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { statusCode: status, message });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { data += chunk; });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

async function create(req: IncomingMessage, res: ServerResponse, parse: (body: unknown) => object | null): Promise<void> {
  if (!req.headers['content-type']?.startsWith('application/json')) return fail(res, 415, 'Unsupported Media Type');
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    return fail(res, 400, 'Malformed JSON');
  }
  const value = parse(body);
  if (value === null) return fail(res, 422, 'Validation failed');
  sendJson(res, 201, value);
}

async function withConnection(res: ServerResponse): Promise<void> {
  const conn = await pool.acquire();
  try {
    sendJson(res, 200, { db: conn.database });
  } finally {
    pool.release(conn);
  }
}

function cached(url: string, res: ServerResponse): void {
  let body = cache.get(url);
  if (body === undefined) {
    body = JSON.stringify(buildReport());
    cache.set(url, body);
  }
  res.setHeader('cache-control', `max-age=${cache.ttlSeconds}`);
  send(res, 200, body);
}

function me(req: IncomingMessage, res: ServerResponse): void {
  const limit = limiter.hit(req.socket.remoteAddress ?? '');
  res.setHeader('x-ratelimit-limit', rateLimit.max);
  res.setHeader('x-ratelimit-remaining', Math.max(0, limit.remaining));
  res.setHeader('x-ratelimit-reset', limit.resetSeconds);
  if (limit.remaining < 0) return fail(res, 429, 'Too Many Requests');
  const auth = req.headers.authorization;
  const claims = auth?.startsWith('Bearer ') ? verifyToken(auth.slice(7)) : null;
  if (claims === null) return fail(res, 401, 'Unauthorized');
  if (!claims.roles.includes('editor')) return fail(res, 403, 'Forbidden');
  sendJson(res, 200, { user: claims.sub, roles: claims.roles });
}

function route(req: IncomingMessage, res: ServerResponse): void | Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (req.method === 'GET') {
    if (path === '/hello') return sendJson(res, 200, { message: 'Hello, World!' });
    if (path.startsWith('/users/') && path.indexOf('/', 7) < 0) {
      const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
      return sendJson(res, 200, { id: decodeURIComponent(path.slice(7)), fields: query.get('fields') ?? undefined });
    }
    if (path === '/service') return sendJson(res, 200, { items: catalog.list() });
    if (path === '/dep') return withConnection(res);
    if (path === '/guarded') {
      if (req.headers['x-role'] !== 'editor') return fail(res, 403, 'Forbidden');
      return sendJson(res, 200, { items: catalog.list() });
    }
    if (path === '/cached') return cached(url, res);
    if (path === '/me') return me(req, res);
  }
  if (req.method === 'POST' && path === '/items') return create(req, res, parseItem);
  if (req.method === 'POST' && path === '/offers') return create(req, res, parseOffer);
  fail(res, 404, 'Not Found');
}

createServer((req, res) => {
  const done = route(req, res);
  if (done) done.catch(() => { if (!res.headersSent) fail(res, 500, 'Internal Server Error'); else res.destroy(); });
}).listen(port, host);
