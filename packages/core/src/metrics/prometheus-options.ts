import type { Registry } from 'prom-client';

export interface PrometheusOptions {
  /** Where the metrics are served (default `/metrics`). The route skips JWT and rate limits and stays out of the OpenAPI document. */
  path?: string;
  /** Upper bounds of the request duration histogram's buckets, in seconds (default prom-client's: 0.005 ... 10). */
  buckets?: readonly number[];
  /** Node process metrics and event-loop delay from prom-client's `collectDefaultMetrics` (default true). */
  defaultMetrics?: boolean;
  /** Labels on every series, e.g. `{ service: 'shop' }`. */
  labels?: Record<string, string>;
  /** A registry of your own (your metrics then appear in the same scrape); default: a new one per app. */
  registry?: Registry;
}

/** prom-client's default buckets, in seconds. */
export const defaultBuckets: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The label of requests that match no route, so unknown URLs cannot add series. */
export const unmatchedRoute = 'unmatched';
