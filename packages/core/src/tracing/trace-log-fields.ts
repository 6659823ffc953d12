import { trace } from '@opentelemetry/api';
import type { LogFieldSource } from '../context/log-fields.js';

/**
 * With the request context on, `app.log` lines written inside a traced request carry its
 * `traceId` and `spanId`, as the request's own logger does.
 */
export const traceLogFields: LogFieldSource = (ctx) => {
  const traced = ctx.request.raw.celloTrace;
  const span = traced === undefined ? undefined : trace.getSpan(traced);
  if (span === undefined) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
};
