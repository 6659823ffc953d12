// `npm run soak [-- --short]`: load, aborts, slowloris and slow readers against a Cello app in a
// child process, on loopback, bounded in count and time. Prints a table, writes
// soak-report.md + soak-report.svg (apps/bench/), exits 1 on any error or leak.
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { soakChart, type PhaseMark } from './chart.js';
import type { Measurement, RunnerMessage, ServerMessage } from './protocol.js';

const short = process.argv.includes('--short');
const settings = short
  ? { warmup: 4_000, requests: 4_000, concurrency: 256, slowloris: 200, slowlorisSeconds: 8, readers: 100, streamBytes: 4 * 1024 * 1024, timeLimit: 150 }
  : { warmup: 6_000, requests: 10_000, concurrency: 256, slowloris: 400, slowlorisSeconds: 12, readers: 100, streamBytes: 10 * 1024 * 1024, timeLimit: 420 };
const mb = 1024 * 1024;
const outDir = join(__dirname, '..', '..');

// ---- the server child -------------------------------------------------------------------------

const started = performance.now();
const startedWall = Date.now();
const seconds = () => (performance.now() - started) / 1000;
const samples: Array<{ t: number; m: Measurement }> = [];
const phases: PhaseMark[] = [];
let child: ChildProcess;
let nextId = 0;
const waiting = new Map<number, (m: Measurement) => void>();

function startServer(): Promise<string> {
  child = fork(join(__dirname, 'soak-server.js'), [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.on('message', (message: ServerMessage) => {
      if (message.type === 'ready') resolve(message.url);
      // Stamped by the server: the runner's own loop is busy under load and reads them in bursts.
      else if (message.type === 'sample') samples.push({ t: (message.measurement.at - startedWall) / 1000, m: message.measurement });
      else if (message.type === 'measured') waiting.get(message.id)?.(message.measurement);
    });
    child.on('exit', (code) => reject(new Error(`soak server exited with ${code}`)));
  });
}

function tell(message: RunnerMessage): void {
  child.send(message);
}

/** Server memory, handles and counters after a full GC. */
function measure(): Promise<Measurement> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, (m) => { waiting.delete(id); resolve(m); });
    tell({ type: 'measure', id });
  });
}

// ---- requests ---------------------------------------------------------------------------------

interface Outcome { ok: boolean; aborted: boolean; ms: number; end: number; error?: string; route: string }

interface Call { route: string; method: 'GET' | 'POST'; path: string; body?: string; expect: (status: number, body: string) => boolean; abortAfterMs?: number }

const orderBody = JSON.stringify({ sku: 'pen', qty: 3, unknown: 'stripped' });
const cachedBody = JSON.stringify({ cached: true, items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `item ${i}` })) });

// Ten slots: each route's share of the mix; the last is a client that gives up mid-request.
function callFor(i: number): Call {
  switch (i % 10) {
    case 0: case 1: return { route: 'plain', method: 'GET', path: '/plain', expect: (s, b) => s === 200 && b === '{"hello":"world"}' };
    case 2: case 3: return { route: 'dto', method: 'POST', path: '/dto', body: orderBody, expect: (s, b) => s === 200 && b === '{"sku":"pen","qty":3,"total":6}' };
    case 4: case 5: return { route: 'dep', method: 'GET', path: `/dep/${i}`, expect: (s, b) => s === 200 && b === `{"n":${i},"leased":true}` };
    case 6: case 7: return { route: 'cached', method: 'GET', path: '/cached', expect: (s, b) => s === 200 && b === cachedBody };
    case 8: return { route: 'limited', method: 'GET', path: '/limited', expect: (s, b) => s === 200 && b === '{"limited":false}' };
    // Answered before the client gave up (a busy client): then it must be the right answer.
    default: return { route: 'abort', method: 'GET', path: '/slow', abortAfterMs: 5, expect: (s, b) => s === 200 && b === '{"slow":true}' };
  }
}

function send(url: string, call: Call, agent: Agent): Promise<Outcome> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const done = (ok: boolean, aborted: boolean, error?: string) => {
      const end = performance.now();
      resolve({ ok, aborted, ms: end - t0, end: (end - started) / 1000, error, route: call.route });
    };
    const headers: Record<string, string> = call.body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(call.body)) };
    const req = httpRequest(`${url}${call.path}`, { method: call.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const ok = call.expect(res.statusCode ?? 0, body);
        done(ok, false, ok ? undefined : `${call.route}: ${res.statusCode} ${body.slice(0, 120)}`);
      });
      res.on('error', (err) => done(false, false, `${call.route}: ${err.message}`));
    });
    if (call.abortAfterMs !== undefined) {
      const timer = setTimeout(() => { req.destroy(); done(true, true); }, call.abortAfterMs);
      req.on('response', () => clearTimeout(timer));
      req.on('error', () => undefined);
    } else {
      req.on('error', (err) => done(false, false, `${call.route}: ${err.message}`));
    }
    req.end(call.body);
  });
}

async function load(url: string, count: number, concurrency: number, pick: (i: number) => Call = callFor): Promise<Outcome[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      outcomes.push(await send(url, pick(i), agent));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return outcomes;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

// ---- phases -----------------------------------------------------------------------------------

interface Row { phase: string; requests: number; errors: number; aborted: number; p50: number; p99: number; before: Measurement; after: Measurement; eldP99: number }
const rows: Row[] = [];
const checks: Array<{ ok: boolean; what: string }> = [];
const allOutcomes: Outcome[] = [];
const errorSamples: string[] = [];

function check(ok: boolean, what: string): void {
  checks.push({ ok, what });
}

function row(phase: string, outcomes: Outcome[], before: Measurement, after: Measurement): Row {
  const done = outcomes.filter((o) => !o.aborted);
  const errors = done.filter((o) => !o.ok);
  for (const e of errors.slice(0, 5)) errorSamples.push(`${phase}: ${e.error}`);
  const r: Row = {
    phase, requests: outcomes.length, errors: errors.length, aborted: outcomes.length - done.length,
    p50: percentile(done.map((o) => o.ms), 50), p99: percentile(done.map((o) => o.ms), 99), before, after, eldP99: after.eldP99,
  };
  rows.push(r);
  allOutcomes.push(...outcomes);
  return r;
}

function phase(name: string): void {
  phases.push({ name, start: seconds() });
  tell({ type: 'reset-eld' });
}

/** Waits until the server holds no more client sockets than at `baseline` (clients closed theirs). */
async function socketsSettle(baseline: Measurement): Promise<Measurement> {
  let m = await measure();
  for (let i = 0; i < 50 && (m.handles.TCPSocketWrap ?? 0) > (baseline.handles.TCPSocketWrap ?? 0); i++) {
    await sleep(200);
    m = await measure();
  }
  return m;
}

async function mainLoad(url: string): Promise<void> {
  phase('warm-up');
  const start = await measure();
  row('warm-up', await load(url, settings.warmup, settings.concurrency), start, await socketsSettle(start));
  const warm = await socketsSettle(start);

  phase('load');
  const outcomes = await load(url, settings.requests, settings.concurrency);
  const end = await socketsSettle(warm);
  const r = row('load', outcomes, warm, end);
  const depOk = outcomes.filter((o) => o.route === 'dep' && o.ok).length;
  check(r.errors === 0, `load: ${r.requests} requests at ${settings.concurrency} concurrency, zero errors and correct bodies (${r.errors} errors)`);
  check(end.counts.depStarted === end.counts.depCleaned && end.counts.depCleaned - warm.counts.depCleaned === depOk,
    `generator dependency cleaned up once per request (${end.counts.depCleaned - warm.counts.depCleaned} cleanups, ${depOk} requests)`);
  check(end.counts.slowStarted === end.counts.slowCleaned, `aborted requests cleaned up (${end.counts.slowCleaned}/${end.counts.slowStarted})`);
  check(end.rss <= warm.rss * 1.1, `RSS after load within 10% of after warm-up (${(end.rss / mb).toFixed(1)} vs ${(warm.rss / mb).toFixed(1)} MB)`);
  check(end.heapUsed <= warm.heapUsed * 1.1 + 2 * mb, `heap after load flat (${(end.heapUsed / mb).toFixed(1)} vs ${(warm.heapUsed / mb).toFixed(1)} MB, +10% +2 MB allowed)`);
  const grown = Object.keys(end.handles).filter((type) => (end.handles[type] ?? 0) > (warm.handles[type] ?? 0) + (type === 'Timeout' ? 2 : 0));
  check(grown.length === 0, `handles back to after warm-up (${JSON.stringify(end.handles)} vs ${JSON.stringify(warm.handles)})`);
}

async function slowloris(url: string): Promise<void> {
  phase('slowloris');
  const before = await measure();
  const { port, hostname } = new URL(url);
  let closedByServer = 0;
  const sockets: Socket[] = [];
  for (let i = 0; i < settings.slowloris; i++) {
    const socket = connect(Number(port), hostname);
    let mine = false;
    socket.on('error', () => undefined);
    socket.on('close', () => { if (!mine) closedByServer++; });
    socket.write('GET /plain HTTP/1.1\r\nHost: soak\r\n');
    sockets.push(Object.assign(socket, { markMine: () => { mine = true; } }));
  }
  const trickle = setInterval(() => {
    for (const s of sockets) if (!s.destroyed) s.write(`X-Trickle-${Math.floor(Math.random() * 1e6)}: a\r\n`);
  }, 1000);
  // Normal clients keep coming the whole time.
  const deadline = performance.now() + settings.slowlorisSeconds * 1000;
  const outcomes: Outcome[] = [];
  const plain = (i: number) => callFor(i % 2 === 0 ? 0 : 2);
  while (performance.now() < deadline) {
    outcomes.push(...await load(url, 200, 16, plain));
    await sleep(50);
  }
  clearInterval(trickle);
  for (const s of sockets) {
    (s as Socket & { markMine(): void }).markMine();
    s.destroy();
  }
  const after = await socketsSettle(before);
  const r = row('slowloris', outcomes, before, after);
  check(r.errors === 0 && r.requests > 0, `slowloris: ${settings.slowloris} trickling sockets, ${r.requests} normal requests meanwhile, zero errors`);
  check(closedByServer >= settings.slowloris * 0.95, `slowloris sockets cut by the server's headersTimeout (${closedByServer}/${settings.slowloris})`);
}

function slowReader(url: string, bytes: number): Promise<Outcome> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const finish = (ok: boolean, error?: string) => resolve({ ok, aborted: false, ms: performance.now() - t0, end: seconds(), error, route: 'stream' });
    httpRequest(`${url}/stream/${bytes}`, { agent: false }, (res) => {
      let got = 0;
      res.on('data', (c: Buffer) => {
        got += c.length;
        res.pause();
        setTimeout(() => res.resume(), 15);
      });
      res.on('end', () => finish(res.statusCode === 200 && got === bytes, `stream: ${res.statusCode}, ${got} of ${bytes} bytes`));
      res.on('error', (err) => finish(false, err.message));
    }).on('error', (err) => finish(false, err.message)).end();
  });
}

async function slowReaders(url: string): Promise<void> {
  phase('slow readers');
  const before = await measure();
  const peakFrom = samples.length;
  const outcomes = await Promise.all(Array.from({ length: settings.readers }, () => slowReader(url, settings.streamBytes)));
  const after = await socketsSettle(before);
  const r = row('slow readers', outcomes, before, after);
  const peak = Math.max(before.rss, ...samples.slice(peakFrom).map((s) => s.m.rss));
  const total = settings.readers * settings.streamBytes;
  check(r.errors === 0, `slow readers: ${settings.readers} x ${settings.streamBytes / mb} MB, every byte delivered`);
  check(peak - before.rss < 100 * mb, `server memory bounded while streaming ${total / mb} MB (peak RSS +${((peak - before.rss) / mb).toFixed(1)} MB, limit 100)`);
  check(after.counts.streamsStarted === after.counts.streamsEnded, `every stream closed (${after.counts.streamsEnded}/${after.counts.streamsStarted})`);
}

// ---- report -----------------------------------------------------------------------------------

function table(): string {
  const head = ['phase', 'requests', 'errors', 'aborted', 'p50 ms', 'p99 ms', 'RSS start MB', 'RSS end MB', 'heap start MB', 'heap end MB', 'ELD p99 ms'];
  const lines = rows.map((r) => [r.phase, r.requests, r.errors, r.aborted, r.p50.toFixed(1), r.p99.toFixed(1),
    (r.before.rss / mb).toFixed(1), (r.after.rss / mb).toFixed(1), (r.before.heapUsed / mb).toFixed(1), (r.after.heapUsed / mb).toFixed(1), r.eldP99.toFixed(1)].map(String));
  return [head, head.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function latencySeries(): Array<[number, number]> {
  const buckets = new Map<number, number[]>();
  for (const o of allOutcomes) {
    if (o.aborted || o.route === 'stream') continue;
    const b = Math.floor(o.end * 2) / 2;
    buckets.set(b, [...(buckets.get(b) ?? []), o.ms]);
  }
  return [...buckets.entries()].sort(([a], [b]) => a - b).map(([t, ms]) => [t, percentile(ms, 99)]);
}

function report(): boolean {
  const duration = seconds();
  const svg = soakChart(`Cello soak${short ? ' (short)' : ''}: ${new Date().toISOString()}`, [
    { title: 'Server RSS', unit: 'MB', color: '#c0392b', points: samples.map((s) => [s.t, s.m.rss / mb]) },
    { title: 'Server heap used', unit: 'MB', color: '#2471a3', points: samples.map((s) => [s.t, s.m.heapUsed / mb]) },
    { title: 'Client p99 latency per 0.5 s', unit: 'ms', color: '#1e8449', points: latencySeries() },
  ], phases, duration);
  const ok = checks.every((c) => c.ok);
  const text = table();
  const checkLines = checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.what}`);
  console.log(`\n${text}\n\n${checkLines.join('\n')}`);
  if (errorSamples.length > 0) console.log(`\nfirst errors:\n${errorSamples.join('\n')}`);
  const md = [
    `# Soak report${short ? ' (short)' : ''}`, '',
    `${new Date().toISOString()}, Node ${process.version}, ${duration.toFixed(0)} s. Memory is the server child's, measured after a forced GC; ELD is its event-loop delay.`, '',
    text, '', '```', ...checkLines, '```', '', '![RSS, heap and p99 latency over time](soak-report.svg)', '',
  ].join('\n');
  writeFileSync(join(outDir, 'soak-report.svg'), svg);
  writeFileSync(join(outDir, 'soak-report.md'), md);
  console.log(`\n${ok ? 'soak passed' : 'soak FAILED'}; report: ${join(outDir, 'soak-report.md')} (+ .svg)`);
  return ok;
}

async function main(): Promise<number> {
  const limit = setTimeout(() => {
    console.error(`soak: over its ${settings.timeLimit} s time limit`);
    child?.kill('SIGKILL');
    process.exit(1);
  }, settings.timeLimit * 1000);
  const url = await startServer();
  console.log(`soak${short ? ' (short)' : ''}: server ${url}, pid ${child.pid}`);
  try {
    await mainLoad(url);
    await slowloris(url);
    await slowReaders(url);
  } finally {
    tell({ type: 'stop' });
    await new Promise((resolve) => { if (child.exitCode !== null) resolve(null); else child.once('exit', resolve); });
    clearTimeout(limit);
  }
  return report() ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  child?.kill('SIGKILL');
  process.exit(1);
});
