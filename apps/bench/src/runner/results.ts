import type { ScenarioId } from '../scenarios.js';
import type { TargetId } from '../target-registry.js';
import type { MachineInfo } from './machine.js';

export type CellKey = `${TargetId}/${ScenarioId}`;

export const cellKey = (target: TargetId, scenario: ScenarioId): CellKey => `${target}/${scenario}`;

export interface LoadSamples {
  requestsPerSecond: number[];
  p99Ms: number[];
  /** Bad answers (non-2xx, errors, timeouts) summed over every timed segment. */
  bad: number;
}

export interface LoadSettings {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

export interface LoadResults {
  settings: LoadSettings;
  startupMs: Map<TargetId, number[]>;
  /** RSS after the target's last load segment, in bytes. */
  rssAfterLoad: Map<TargetId, number>;
  cells: Map<CellKey, LoadSamples>;
  /** Targets that failed to start, and cells that answered wrongly: never timed. */
  failures: Map<CellKey | TargetId, string>;
}

export interface InstrResults {
  warmup: number;
  requests: number;
  /** Counts per cell (raw fastify and Cello: keyRepeat); the least is kept. */
  repeat: number;
  keyRepeat: number;
  /** The least count of each cell measured in this run, with every count. */
  cells: Map<CellKey, number>;
  runs: Map<CellKey, number[]>;
  failures: Map<CellKey, string>;
}

export interface BenchResults {
  machine: MachineInfo;
  load: LoadResults | null;
  instr: InstrResults | null;
}
