import type { FastifyReply } from 'fastify';
import type { LiveStreams } from '../realtime/live-streams.js';
import { SseStream } from '../realtime/sse-stream.js';
import { sendFile, type FileSource } from '../files/send-file.js';
import { Response } from './response.js';
import { isEmptyResult, responseBody } from './result-body.js';

/** What a route declares about its successful responses, fixed at startup. */
export interface ResultPolicy {
  /** Status for a plain value. */
  readonly status: number;
  /** True when the route set `status` itself (then an empty result keeps it instead of 204). */
  readonly explicitStatus: boolean;
  /** Where an event stream sent by the route registers, and its default heartbeat (absent: none, 15 s). */
  readonly streams?: { readonly live: LiveStreams; readonly heartbeat: number | false; readonly label: string };
}

function applyResponse(reply: FastifyReply, res: Response, policy: ResultPolicy): unknown {
  // A file's status and headers depend on the request (Range, conditional headers) and on a stat:
  // known only once that resolves.
  if (res.kind === 'file') return sendFile(reply, res.body as FileSource, res.headers);
  reply.code(res.status);
  const headers = res.headers;
  for (const name in headers) reply.header(name, headers[name]);
  const body = responseBody(res);
  if (body instanceof SseStream) {
    // fastify would pipe a stream even for HEAD (node drops the bytes): an endless one would never end.
    if (reply.request.method === 'HEAD') {
      body.destroy();
      return undefined;
    }
    const streams = policy.streams;
    body.attach({ res: reply.raw, log: reply.log, heartbeat: streams?.heartbeat ?? 15, live: streams?.live ?? null, label: streams?.label ?? reply.request.url });
  }
  return body;
}

/**
 * Turns a handler's return value into the payload for fastify's `reply.send`, setting the status
 * and headers on `reply`: objects and arrays -> JSON, strings -> text/plain, Buffers ->
 * octet-stream, streams are piped, `undefined`/`null` -> 204, a `Response` as it says.
 * A promise only for `Response.file()`.
 */
export function toPayload(reply: FastifyReply, value: unknown, policy: ResultPolicy): unknown {
  if (isEmptyResult(value)) {
    reply.code(policy.explicitStatus ? policy.status : 204);
    return undefined;
  }
  if (value instanceof Response) return applyResponse(reply, value, policy);
  if (policy.status !== 200) reply.code(policy.status);
  return value;
}
