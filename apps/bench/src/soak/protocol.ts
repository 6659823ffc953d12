// Messages between the soak runner and the server child (over the IPC channel).

export interface Measurement {
  at: number;
  rss: number;
  heapUsed: number;
  /** `external` + `arrayBuffers`: Buffers live here, not in the heap. */
  external: number;
  /** Event-loop delay p99 since the last reset, in ms. */
  eldP99: number;
  /** process.getActiveResourcesInfo() counted by type. */
  handles: Record<string, number>;
  counts: {
    depStarted: number; depCleaned: number;
    slowStarted: number; slowCleaned: number;
    streamsStarted: number; streamsEnded: number;
  };
}

export type ServerMessage =
  | { type: 'ready'; url: string }
  | { type: 'sample'; measurement: Measurement }
  | { type: 'measured'; id: number; measurement: Measurement };

export type RunnerMessage =
  | { type: 'measure'; id: number }
  | { type: 'reset-eld' }
  | { type: 'stop' };
