import { ProxyTracerProvider, trace, type SpanContext, type TracerProvider } from '@opentelemetry/api';

/** Whether a tracer provider records anything: false for the API's no-op (no SDK registered). */
export function isRecordingProvider(provider: TracerProvider): boolean {
  // The global provider is a proxy whose delegate is the API's no-op until an SDK registers one.
  if (provider instanceof ProxyTracerProvider) return provider.getDelegate() !== noopProvider;
  return provider !== noopProvider;
}

// The API's own no-op provider (what an empty proxy delegates to).
const noopProvider = new ProxyTracerProvider().getDelegate();

/** The W3C `traceparent` value of a span: `00-<trace id>-<span id>-<flags>`. */
export function traceparentOf(context: SpanContext): string {
  return `00-${context.traceId}-${context.spanId}-${(context.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** The global provider (what `enableTracing()` uses by default). */
export function globalProvider(): TracerProvider {
  return trace.getTracerProvider();
}
