import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import type { FastifyReply, FastifyRequest, onRequestHookHandler, onResponseHookHandler } from 'fastify';
import { featureOrder, type Feature, type RouteHooks } from '../features/feature.js';
import type { RouteInfo } from '../routing/route-info.js';
import { RouteTracing } from './route-tracing.js';
import { globalProvider, isRecordingProvider, traceparentOf } from './trace-context.js';
import type { TracingOptions } from './tracing-options.js';

const tracerName = '@cello/core';

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * OpenTelemetry tracing (`app.enableTracing()`): a SERVER span per request named
 * `METHOD /route/pattern`, continuing the caller's trace from its `traceparent` (through the
 * global propagator), with child spans for guards, dependencies and the handler, and the trace
 * id in the request's log lines. Whether anything records is decided once, at startup: with no
 * SDK registered, no route gets a hook.
 */
export class Tracing implements Feature {
  readonly name = 'tracing';
  readonly order = featureOrder.tracing;
  readonly #options: TracingOptions;
  #route: RouteTracing | null | undefined;

  constructor(options: TracingOptions = {}) {
    this.#options = options;
  }

  /** The child-span wrappers routes are compiled with, or null when nothing records. */
  get routeTracing(): RouteTracing | null {
    if (this.#route === undefined) {
      const provider = this.#options.tracerProvider ?? globalProvider();
      this.#route = isRecordingProvider(provider) ? new RouteTracing(provider.getTracer(tracerName)) : null;
    }
    return this.#route;
  }

  forRoute(route: RouteInfo): RouteHooks | null {
    const tracing = this.routeTracing;
    // A WebSocket is hijacked from fastify: no response to end its span on.
    if (tracing === null || route.kind === 'websocket') return null;
    const tracer = tracing.tracer;
    const header = this.#options.responseHeader !== false;
    const path = route.path;
    const onRequest: onRequestHookHandler = (request, reply, done) => {
      startServerSpan(tracer, request, reply, `${request.method} ${path}`, path, header);
      done();
    };
    const onResponse: onResponseHookHandler = (request, reply, done) => {
      endServerSpan(request, reply.statusCode);
      done();
    };
    return { onRequest, onResponse };
  }

  onUnmatched(request: FastifyRequest, reply: FastifyReply): void {
    const tracing = this.routeTracing;
    if (tracing === null) return;
    // No route: named by the method alone (OpenTelemetry's HTTP conventions), so the name stays bounded.
    startServerSpan(tracing.tracer, request, reply, request.method, undefined, this.#options.responseHeader !== false);
    reply.raw.once('finish', () => endServerSpan(request, reply.raw.statusCode));
  }
}

function startServerSpan(tracer: Tracer, request: FastifyRequest, reply: FastifyReply, name: string, route: string | undefined, header: boolean): void {
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const attributes: Attributes = {
    'http.request.method': request.method,
    'url.path': pathOf(request.url),
    'url.scheme': request.protocol,
    'network.protocol.version': request.raw.httpVersion,
    'client.address': request.ip,
  };
  if (route !== undefined) attributes['http.route'] = route;
  const agent = request.headers['user-agent'];
  if (agent !== undefined) attributes['user_agent.original'] = agent;
  const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  request.celloTrace = trace.setSpan(parent, span);
  const spanContext = span.spanContext();
  if (header) reply.header('traceparent', traceparentOf(spanContext));
  // Every line logged about this request (handler, access log, errors) carries the trace.
  request.log = request.log.child({ traceId: spanContext.traceId, spanId: spanContext.spanId });
}

function endServerSpan(request: FastifyRequest, status: number): void {
  const ctx = request.celloTrace;
  const span = ctx === undefined ? undefined : trace.getSpan(ctx);
  if (span === undefined) return;
  span.setAttribute('http.response.status_code', status);
  // A server span fails on 5xx only: a 4xx is the client's mistake, not the server's.
  if (status >= 500) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** In the error handler: the exception behind a 5xx, on the server span. */
export function recordServerError(request: FastifyRequest, err: unknown): void {
  const ctx = request.celloTrace;
  const span = ctx === undefined ? undefined : trace.getSpan(ctx);
  if (span === undefined) return;
  span.recordException(err instanceof Error ? err : String(err));
}
