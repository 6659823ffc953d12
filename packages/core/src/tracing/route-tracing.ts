import { context, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../di/request-context.js';
import type { Exchange } from '../exchange/exchange.js';
import type { Guard } from '../guards/guard.js';
import { isThenable } from '../http/thenable.js';
import type { Binder } from '../routing/params/param-kind.js';

type Call = (ctx: RequestContext | null, request: FastifyRequest) => unknown;

function fail(span: Span, err: unknown): void {
  if (err instanceof Error) span.recordException(err);
  else span.recordException(String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
  span.end();
}

// Ends `span` when `value` settles (or now, for a plain value), recording a failure.
function endWith<T>(span: Span, value: T): T {
  if (!isThenable(value)) {
    span.end();
    return value;
  }
  return (value as PromiseLike<unknown>).then(
    (v) => {
      span.end();
      return v;
    },
    (err: unknown) => {
      fail(span, err);
      throw err;
    },
  ) as T;
}

/**
 * Child spans of the server span for the stages of one route: its guards, its dependencies and
 * its handler. Used only when tracing records (an SDK is registered): the route is then
 * compiled with these wrappers; without it, nothing here runs.
 */
export class RouteTracing {
  constructor(readonly tracer: Tracer) {}

  /** The context of the request's server span (set by the tracing feature's hook). */
  static parentOf(request: FastifyRequest | undefined): Context {
    return request?.celloTrace ?? context.active();
  }

  #run<T>(name: string, parent: Context, fn: (ctx: Context) => T): T {
    const span = this.tracer.startSpan(name, { kind: SpanKind.INTERNAL }, parent);
    const active = trace.setSpan(parent, span);
    let value: T;
    try {
      // Active while it runs: spans the user's code (or its instrumented clients) starts are its children.
      value = context.with(active, fn, undefined, active);
    } catch (err) {
      fail(span, err);
      throw err;
    }
    return endWith(span, value);
  }

  guard(guard: Guard, name: string): Guard {
    // Inherits from the guard: its class (named in a 403's message), readsBody and fields stay.
    const traced = Object.create(guard) as Guard & { canActivate: Guard['canActivate'] };
    traced.canActivate = (ctx: RequestContext) =>
      this.#run(`guard ${name}`, RouteTracing.parentOf((ctx as Exchange).request?.raw), () => guard.canActivate(ctx));
    return traced;
  }

  dependency(bind: Binder, name: string): Binder {
    return (ctx, request) => this.#run(`dependency ${name}`, RouteTracing.parentOf(request), () => bind(ctx, request));
  }

  handler(call: Call, name: string): Call {
    return (ctx, request) => this.#run(`handler ${name}`, RouteTracing.parentOf(request), () => call(ctx, request));
  }
}
