import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { featureOrder, type Feature, type RouteHooks } from '../features/feature.js';

export interface RequestIdOptions {
  /** Header read from the request and set on the response (default `x-request-id`). */
  header?: string;
  /** Makes an id when the request has none, or an unusable one (default: a UUID). */
  generate?: () => string;
}

// An incoming id is trusted only if it is short and plain: it ends up in logs and headers.
const safeId = /^[\w.:-]{1,128}$/;

/** `x-request-id` in and out: a caller's id is kept (so logs correlate across services), else one is made. */
export class RequestIds implements Feature {
  readonly name = 'requestId';
  readonly order = featureOrder.requestId;
  readonly header: string;
  readonly #generate: () => string;

  constructor(options: RequestIdOptions = {}) {
    this.header = (options.header ?? 'x-request-id').toLowerCase();
    this.#generate = options.generate ?? randomUUID;
  }

  /** fastify's genReqId while this is enabled. */
  idFor(raw: IncomingMessage): string {
    const incoming = raw.headers[this.header];
    return typeof incoming === 'string' && safeId.test(incoming) ? incoming : this.#generate();
  }

  forRoute(): RouteHooks {
    return {
      onRequest: (request, reply, done) => {
        reply.header(this.header, request.id);
        done();
      },
    };
  }

  onUnmatched(request: FastifyRequest, reply: FastifyReply): void {
    reply.header(this.header, request.id);
  }
}
