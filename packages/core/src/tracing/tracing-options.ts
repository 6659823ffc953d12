import type { TracerProvider } from '@opentelemetry/api';

export interface TracingOptions {
  /**
   * Where spans go. Default: the provider your OpenTelemetry SDK registered globally (it must be
   * registered before the app starts; without one, tracing costs nothing and records nothing).
   */
  tracerProvider?: TracerProvider;
  /** Send the server span's context back in a `traceparent` response header (default true). */
  responseHeader?: boolean;
}
