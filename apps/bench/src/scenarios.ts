// What every target serves: one route per scenario, the request the load sends, the answer it
// must give (checked before any timing), and requests it must refuse. Targets declare which
// scenarios they support in targets.ts.
import { buildReport, Catalog } from './fixtures/catalog.js';
import { editorToken, viewerToken } from './fixtures/jwt.js';

export type ScenarioId = 'hello' | 'params' | 'dto' | 'dto-common' | 'service' | 'dep' | 'guard' | 'cache' | 'auth';

export interface ScenarioRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface Rejection {
  why: string;
  request: ScenarioRequest;
  /** Any of these is fine: frameworks disagree on 400 vs 422 for a bad body. */
  statuses: readonly number[];
}

export interface Scenario {
  id: ScenarioId;
  title: string;
  request: ScenarioRequest;
  expect: { status: number; body: unknown };
  /** Requests that must be refused, so a target cannot win by skipping the work. */
  rejects: readonly Rejection[];
  /** Accepted extra answers, e.g. unknown keys stripped from a DTO. */
  also: readonly { why: string; request: ScenarioRequest; status: number; body: unknown }[];
  /** Cello's target, as a fraction of raw fastify's throughput (issue 8). */
  minRatio: number;
}

const item = { sku: 'pen', name: 'Pen', price: 1.5, stock: 10 };
const offer = { name: 'Pen', price: 1.5 };
const json = { 'content-type': 'application/json' };
const catalog = { items: new Catalog().list() };

export const scenarios: readonly Scenario[] = [
  {
    id: 'hello',
    title: 'hello-world JSON',
    request: { method: 'GET', path: '/hello' },
    expect: { status: 200, body: { message: 'Hello, World!' } },
    rejects: [],
    also: [],
    minRatio: 0.95,
  },
  {
    id: 'params',
    title: 'path param + query',
    request: { method: 'GET', path: '/users/42?fields=name' },
    expect: { status: 200, body: { id: '42', fields: 'name' } },
    rejects: [],
    also: [{ why: 'another id', request: { method: 'GET', path: '/users/7?fields=email' }, status: 200, body: { id: '7', fields: 'email' } }],
    minRatio: 0.95,
  },
  {
    id: 'dto',
    title: 'POST validated DTO',
    request: { method: 'POST', path: '/items', body: JSON.stringify(item), headers: json },
    expect: { status: 201, body: item },
    rejects: [
      { why: 'negative price', request: { method: 'POST', path: '/items', body: JSON.stringify({ ...item, price: -1 }), headers: json }, statuses: [400, 422] },
      { why: 'missing stock', request: { method: 'POST', path: '/items', body: JSON.stringify({ sku: 'pen', name: 'Pen', price: 1 }), headers: json }, statuses: [400, 422] },
      { why: 'fractional stock', request: { method: 'POST', path: '/items', body: JSON.stringify({ ...item, stock: 1.5 }), headers: json }, statuses: [400, 422] },
    ],
    also: [{ why: 'unknown keys stripped', request: { method: 'POST', path: '/items', body: JSON.stringify({ ...item, admin: true }), headers: json }, status: 201, body: item }],
    minRatio: 0.9,
  },
  {
    id: 'dto-common',
    title: 'POST DTO with IsNotEmpty',
    request: { method: 'POST', path: '/offers', body: JSON.stringify(offer), headers: json },
    expect: { status: 201, body: offer },
    rejects: [
      { why: 'empty name', request: { method: 'POST', path: '/offers', body: JSON.stringify({ ...offer, name: '' }), headers: json }, statuses: [400, 422] },
      { why: 'negative price', request: { method: 'POST', path: '/offers', body: JSON.stringify({ ...offer, price: -1 }), headers: json }, statuses: [400, 422] },
      { why: 'missing name', request: { method: 'POST', path: '/offers', body: JSON.stringify({ price: 1 }), headers: json }, statuses: [400, 422] },
      { why: 'null name', request: { method: 'POST', path: '/offers', body: JSON.stringify({ ...offer, name: null }), headers: json }, statuses: [400, 422] },
    ],
    also: [
      { why: 'unknown keys stripped', request: { method: 'POST', path: '/offers', body: JSON.stringify({ ...offer, admin: true }), headers: json }, status: 201, body: offer },
      { why: 'a blank name is not empty', request: { method: 'POST', path: '/offers', body: JSON.stringify({ ...offer, name: ' ' }), headers: json }, status: 201, body: { ...offer, name: ' ' } },
    ],
    minRatio: 0.9,
  },
  {
    id: 'service',
    title: 'injected singleton service',
    request: { method: 'GET', path: '/service' },
    expect: { status: 200, body: catalog },
    rejects: [],
    also: [],
    minRatio: 0.9,
  },
  {
    id: 'dep',
    title: 'async-generator dependency',
    request: { method: 'GET', path: '/dep' },
    expect: { status: 200, body: { db: 'bench' } },
    rejects: [],
    also: [],
    minRatio: 0.9,
  },
  {
    id: 'guard',
    title: 'guarded route + injected service',
    request: { method: 'GET', path: '/guarded', headers: { 'x-role': 'editor' } },
    expect: { status: 200, body: catalog },
    rejects: [
      { why: 'no role', request: { method: 'GET', path: '/guarded' }, statuses: [403] },
      { why: 'wrong role', request: { method: 'GET', path: '/guarded', headers: { 'x-role': 'viewer' } }, statuses: [403] },
    ],
    also: [],
    minRatio: 0.9,
  },
  {
    id: 'cache',
    title: 'cache hit (1 KB JSON)',
    request: { method: 'GET', path: '/cached' },
    expect: { status: 200, body: buildReport() },
    rejects: [],
    also: [],
    minRatio: 0.9,
  },
  {
    id: 'auth',
    title: 'JWT + RoleGuard + rate limit',
    request: { method: 'GET', path: '/me', headers: { authorization: `Bearer ${editorToken}` } },
    expect: { status: 200, body: { user: 'alice', roles: ['editor'] } },
    rejects: [
      { why: 'no token', request: { method: 'GET', path: '/me' }, statuses: [401] },
      { why: 'bad signature', request: { method: 'GET', path: '/me', headers: { authorization: `Bearer ${editorToken.slice(0, -4)}AAAA` } }, statuses: [401] },
      { why: 'viewer role', request: { method: 'GET', path: '/me', headers: { authorization: `Bearer ${viewerToken}` } }, statuses: [403] },
    ],
    also: [],
    minRatio: 0.9,
  },
];
