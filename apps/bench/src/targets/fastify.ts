// The baseline every ratio is taken against: the same routes on fastify alone, written the
// way a fastify user would (JSON schema for the body, hooks and plugins for auth).
import jwt from '@fastify/jwt';
import rateLimitPlugin from '@fastify/rate-limit';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { buildReport, Catalog } from '../fixtures/catalog.js';
import { createItemSchema, type Item } from '../fixtures/create-item.js';
import { createOfferSchema, type Offer } from '../fixtures/create-offer.js';
import { jwtSecret, type Claims } from '../fixtures/jwt.js';
import { pool } from '../fixtures/pool.js';
import { host, port } from '../fixtures/port.js';
import { rateLimit } from '../fixtures/rate-limit.js';
import { ResponseCache } from '../fixtures/response-cache.js';

async function main(): Promise<void> {
  const app = Fastify({ logger: false });
  const catalog = new Catalog();
  const cache = new ResponseCache(60);

  await app.register(jwt, { secret: jwtSecret });
  await app.register(rateLimitPlugin, { global: false });

  app.get('/hello', async () => ({ message: 'Hello, World!' }));

  app.get('/users/:id', async (req: FastifyRequest<{ Params: { id: string }; Querystring: { fields?: string } }>) => ({
    id: req.params.id,
    fields: req.query.fields,
  }));

  app.post('/items', { schema: { body: createItemSchema } }, async (req: FastifyRequest<{ Body: Item }>, reply) => {
    reply.code(201);
    return req.body;
  });

  app.post('/offers', { schema: { body: createOfferSchema } }, async (req: FastifyRequest<{ Body: Offer }>, reply) => {
    reply.code(201);
    return req.body;
  });

  app.get('/service', async () => ({ items: catalog.list() }));

  app.get('/dep', async () => {
    const conn = await pool.acquire();
    try {
      return { db: conn.database };
    } finally {
      pool.release(conn);
    }
  });

  app.get('/guarded', {
    preHandler: async (req: FastifyRequest, reply: FastifyReply) => {
      if (req.headers['x-role'] !== 'editor') return reply.code(403).send({ statusCode: 403, message: 'Forbidden' });
    },
  }, async () => ({ items: catalog.list() }));

  app.get('/cached', async (req, reply) => {
    let body = cache.get(req.url);
    if (body === undefined) {
      body = JSON.stringify(buildReport());
      cache.set(req.url, body);
    }
    return reply.header('cache-control', `max-age=${cache.ttlSeconds}`).type('application/json; charset=utf-8').send(body);
  });

  app.get('/me', {
    config: { rateLimit: { max: rateLimit.max, timeWindow: rateLimit.windowSeconds * 1000 } },
    onRequest: async (req: FastifyRequest) => { await req.jwtVerify(); },
    preHandler: async (req: FastifyRequest, reply: FastifyReply) => {
      if (!(req.user as Claims).roles.includes('editor')) return reply.code(403).send({ statusCode: 403, message: 'Forbidden' });
    },
  }, async (req: FastifyRequest) => {
    const user = req.user as Claims;
    return { user: user.sub, roles: user.roles };
  });

  await app.listen({ port, host });
}

void main();
