// `npm run bench`: every target against raw fastify, by req/s and p99 under load and by
// instructions per request under callgrind; prints markdown and updates BENCHMARKS.md.
// `npm run bench -- --help` lists the flags.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchRoot } from './paths.js';
import { missingPeers, peersHint } from './peers.js';
import { updateBenchmarksFile, type BlockName } from './runner/benchmarks-file.js';
import { defaultInstrTool, instrToolProblem } from './runner/instr.js';
import { currentCommit, readStore, writeStore, type InstrStore } from './runner/instr-store.js';
import { describeMachine } from './runner/machine.js';
import { instrSection, loadSection, machineSection } from './runner/report.js';
import { runInstrPhase } from './runner/run-instr.js';
import { runLoadPhase } from './runner/run-load.js';
import { runWorkersPhase, workersSection } from './runner/run-workers.js';
import { realtimeSection, runRealtimePhase } from './runner/run-realtime.js';
import { offloadSection, runOffloadPhase } from './runner/run-offload.js';
import { scenarios as allScenarios } from './scenarios.js';
import { targets as allTargets } from './target-registry.js';

const help = `usage: npm run bench -- [flags]      (npm run bench:instr = --only-instr)
  --rounds 3            timed rounds per target and scenario
  --seconds 3           length of one timed segment
  --warmup 1            seconds of untimed load per target and scenario before round 1
  --connections 10      autocannon connections
  --startup-rounds 3    cold starts per target for the time to first response
  --targets a,b         only these targets (${allTargets.map((t) => t.id).join(', ')})
  --scenarios a,b       only these scenarios (${allScenarios.map((s) => s.id).join(', ')})
  --no-instr            skip the instruction counts
  --only-instr          only the instruction counts
  --only-workers        only req/s of Cello alone against Cello with listen({ workers })
                        (--scenarios, default hello; --rounds, --seconds, --warmup, --connections apply)
  --workers 2           worker processes for --only-workers
  --only-realtime       only the realtime benchmark: WebSocket echo vs plain ws, SSE vs
                        hand-written node:http (uses --rounds, --seconds, --warmup)
  --only-offload        only the offload benchmark: GET /hello's p99 while a ~20 ms CPU route is
                        busy, on the event loop and with @Offload (uses --rounds, --seconds, --warmup)
  --offload-work-ms 20  offload: CPU per call of the busy route
  --offload-clients 2   offload: clients calling the busy route back to back
  --ws-connections 8    realtime: WebSocket clients
  --ws-window 16        realtime: messages each client keeps in flight
  --sse-streams 4       realtime: concurrent SSE streams
  --instr-jobs 2        instruction counts run side by side
  --instr-warmup 3000   requests before counting (JIT warm-up)
  --instr-requests 4000 requests counted
  --instr-repeat 1      counts per cell of the other targets; the least is kept (a busy machine only adds)
  --instr-repeat-key 2  counts per cell of raw fastify and Cello, whose ratio is the verdict
  --instr-tool PATH     instr-per-request.mjs (default ../shared/tools/ from the repo root)
  --no-write            do not update BENCHMARKS.md and instr-results.json
                        (a load run limited by --targets/--scenarios only prints; instruction
                        counts merge into instr-results.json, so a limited instr run updates its cells)`;

function list<T extends { id: string }>(all: readonly T[], wanted: string | undefined, what: string): T[] {
  if (!wanted) return [...all];
  const ids = wanted.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of ids) if (!all.some((x) => x.id === id)) throw new Error(`unknown ${what} "${id}" (known: ${all.map((x) => x.id).join(', ')})`);
  return all.filter((x) => ids.includes(x.id));
}

async function main(): Promise<number> {
  const { values: o } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '1' },
      connections: { type: 'string', default: '10' },
      'startup-rounds': { type: 'string', default: '3' },
      targets: { type: 'string' },
      scenarios: { type: 'string' },
      'no-instr': { type: 'boolean', default: false },
      'only-instr': { type: 'boolean', default: false },
      'only-workers': { type: 'boolean', default: false },
      workers: { type: 'string', default: '2' },
      'only-realtime': { type: 'boolean', default: false },
      'only-offload': { type: 'boolean', default: false },
      'offload-work-ms': { type: 'string', default: '20' },
      'offload-clients': { type: 'string', default: '2' },
      'ws-connections': { type: 'string', default: '8' },
      'ws-window': { type: 'string', default: '16' },
      'sse-streams': { type: 'string', default: '4' },
      'instr-jobs': { type: 'string', default: '2' },
      'instr-warmup': { type: 'string', default: '3000' },
      'instr-requests': { type: 'string', default: '4000' },
      'instr-repeat': { type: 'string', default: '1' },
      'instr-repeat-key': { type: 'string', default: '2' },
      'instr-tool': { type: 'string', default: defaultInstrTool },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (o.help) {
    console.log(help);
    return 0;
  }
  if (o['only-realtime']) return realtime(o);
  if (o['only-offload']) return offload(o);
  const targets = list(allTargets, o.targets, 'target');
  const scenarios = list(allScenarios, o.scenarios, 'scenario');
  const log = (line: string) => console.error(line);
  const machine = describeMachine();
  const doLoad = !o['only-instr'];
  const doInstr = !o['no-instr'] && !o['only-workers'];
  const nestTargets = !o['only-workers'] && targets.some((t) => t.needsPeers);
  const missing = doLoad || nestTargets ? missingPeers() : [];
  if (missing.length > 0) {
    const needs = [doLoad ? 'the load phase (autocannon)' : '', nestTargets ? 'the NestJS targets' : ''].filter(Boolean).join(' and ');
    throw new Error(
      `${needs} ${needs.includes(' and ') ? 'need' : 'needs'} the bench peers, which are not installed (missing: ${missing.join(', ')}): ${peersHint}. ` +
        `Without them: ${doLoad ? '--only-instr ' : ''}--targets node-http,fastify,cello`,
    );
  }
  if (doInstr) {
    const problem = instrToolProblem(o['instr-tool']);
    if (problem) throw new Error(`${problem}; or run with --no-instr`);
  }

  if (o['only-workers']) {
    const workers = await runWorkersPhase(list(allScenarios, o.scenarios ?? 'hello', 'scenario'), {
      rounds: Number(o.rounds),
      seconds: Number(o.seconds),
      warmupSeconds: Number(o.warmup),
      connections: Number(o.connections),
      workers: Number(o.workers),
      log,
    });
    const section = workersSection(workers, machine.nproc, machine.date);
    console.log(['', section].join('\n'));
    if (!o['no-write']) {
      const file = join(benchRoot, 'BENCHMARKS.md');
      updateBenchmarksFile(file, { workers: section });
      log(`wrote ${file}`);
    }
    return workers.cells.some((c) => c.bad > 0) ? 1 : 0;
  }

  const blocks: Partial<Record<BlockName, string>> = { machine: machineSection(machine) };
  // A load run limited to some targets or scenarios would leave a misleading table: print only.
  const write = (update: Partial<Record<BlockName, string>>) => {
    if (o['no-write'] || o.targets !== undefined || o.scenarios !== undefined) return;
    const file = join(benchRoot, 'BENCHMARKS.md');
    updateBenchmarksFile(file, update);
    log(`wrote ${file}`);
  };
  let failed = false;
  if (doLoad) {
    const load = await runLoadPhase(targets, scenarios, {
      rounds: Number(o.rounds),
      seconds: Number(o.seconds),
      warmupSeconds: Number(o.warmup),
      connections: Number(o.connections),
      startupRounds: Number(o['startup-rounds']),
      log,
    });
    failed ||= load.failures.size > 0 || [...load.cells.values()].some((c) => c.bad > 0);
    blocks.load = loadSection(load, targets, scenarios, machine.date);
    // Out now: the instruction counts that follow take far longer than the load did.
    console.log(['', machineSection(machine), '', blocks.load].join('\n'));
    write({ machine: blocks.machine, load: blocks.load });
  }
  if (doInstr) {
    log(`counting instructions per request (${o['instr-jobs']} at a time; about a minute each, several for NestJS)`);
    const instr = await runInstrPhase(targets, scenarios, {
      tool: o['instr-tool'],
      warmup: Number(o['instr-warmup']),
      requests: Number(o['instr-requests']),
      jobs: Number(o['instr-jobs']),
      repeat: Number(o['instr-repeat']),
      keyRepeat: Number(o['instr-repeat-key']),
      log,
    });
    failed ||= instr.failures.size > 0;
    // Counts merge into instr-results.json, so a run limited to some cells still updates the table.
    const storeFile = join(benchRoot, 'instr-results.json');
    const store: InstrStore = readStore(storeFile) ?? { warmup: instr.warmup, requests: instr.requests, cells: {} };
    if (store.warmup !== instr.warmup || store.requests !== instr.requests) {
      log(`instr-results.json was counted with --instr-warmup ${store.warmup} --instr-requests ${store.requests}: starting it afresh`);
      Object.assign(store, { warmup: instr.warmup, requests: instr.requests, cells: {} });
    }
    const commit = currentCommit();
    for (const [key, runs] of instr.runs) {
      store.cells[key] = { instructionsPerRequest: Math.min(...runs), runs, measured: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), commit };
    }
    blocks.instr = instrSection(store, instr.failures, allTargets, allScenarios);
    console.log(['', doLoad ? '' : machineSection(machine), '', blocks.instr].join('\n'));
    if (!o['no-write']) {
      writeStore(storeFile, store);
      const file = join(benchRoot, 'BENCHMARKS.md');
      updateBenchmarksFile(file, doLoad ? { instr: blocks.instr } : { machine: blocks.machine, instr: blocks.instr });
      log(`wrote ${storeFile} and ${file}`);
    }
  }
  return failed ? 1 : 0;
}

async function realtime(o: Record<string, string | boolean | undefined>): Promise<number> {
  const log = (line: string) => console.error(line);
  const machine = describeMachine();
  log('realtime: WebSocket echo and SSE, one server at a time');
  const results = await runRealtimePhase({
    rounds: Number(o.rounds),
    seconds: Number(o.seconds),
    warmupSeconds: Number(o.warmup),
    sockets: Number(o['ws-connections']),
    window: Number(o['ws-window']),
    streams: Number(o['sse-streams']),
    log,
  });
  const block = realtimeSection(results, machine.date);
  console.log(['', machineSection(machine), '', block].join('\n'));
  if (!o['no-write']) {
    const file = join(benchRoot, 'BENCHMARKS.md');
    updateBenchmarksFile(file, { realtime: block });
    log(`wrote ${file}`);
  }
  return 0;
}

async function offload(o: Record<string, string | boolean | undefined>): Promise<number> {
  const log = (line: string) => console.error(line);
  const machine = describeMachine();
  const results = await runOffloadPhase({
    rounds: Number(o.rounds),
    seconds: Number(o.seconds),
    warmupSeconds: Number(o.warmup),
    workMs: Number(o['offload-work-ms']),
    workClients: Number(o['offload-clients']),
    log,
  });
  const block = offloadSection(results, machine.nproc, machine.date);
  console.log(['', machineSection(machine), '', block].join('\n'));
  if (!o['no-write']) {
    const file = join(benchRoot, 'BENCHMARKS.md');
    updateBenchmarksFile(file, { offload: block });
    log(`wrote ${file}`);
  }
  return results.modes.inline.bad + results.modes.offload.bad > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
