// What the load runner (load.ts) takes and gives. load.ts needs autocannon, one of the bench
// peers, so it is built with them (tsconfig.peers.json); these types are built with the rest.
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

export type RunLoad = (port: number, req: ScenarioRequest, options: LoadOptions) => Promise<LoadResult>;
