// One timed load segment with autocannon, run in the runner's process (the target has its own).
// autocannon is one of the bench peers (apps/bench/peers), loaded from there.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type Autocannon from 'autocannon';
import { peersDir } from '../peers.js';
import type { RunLoad } from './load-types.js';

const autocannon = createRequire(join(peersDir, 'package.json'))('autocannon') as typeof Autocannon;

export const runLoad: RunLoad = async (port, req, options) => {
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
};
