// One timed load segment with autocannon, run in the runner's process (the target has its own).
import autocannon from 'autocannon';
import type { ScenarioRequest } from '../scenarios.js';

export interface LoadOptions {
  seconds: number;
  connections: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p99Ms: number;
  /** Non-2xx answers, socket errors and timeouts: any of these spoils the segment. */
  bad: number;
}

export async function runLoad(port: number, req: ScenarioRequest, options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${req.path}`,
    method: req.method,
    body: req.body,
    headers: req.headers,
    connections: options.connections,
    pipelining: 1,
    duration: options.seconds,
  });
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    bad: result.non2xx + result.errors + result.timeouts,
  };
}
