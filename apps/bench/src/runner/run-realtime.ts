// `npm run bench -- --only-realtime`: WebSocket echo messages per second against the plain `ws`
// package, and SSE events per second against a hand-written node:http endpoint. One server runs
// at a time (the client load runs in this process); rounds alternate the two so a noisy minute
// hits both alike, and the report takes medians.
import { request } from 'node:http';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { distDir } from '../paths.js';
import { startTarget, type RunningTarget, type Startable } from './spawn-target.js';
import { median } from './stats.js';

export interface RealtimeTarget extends Startable {
  id: 'plain' | 'cello';
}

export const realtimeTargets: readonly RealtimeTarget[] = [
  { id: 'plain', label: 'ws / node:http', entry: join(distDir, 'targets', 'realtime-plain.js') },
  { id: 'cello', label: 'Cello', entry: join(distDir, 'targets', 'realtime-cello.js') },
];

export interface RealtimeSettings {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  /** WebSocket clients, each keeping `window` messages in flight. */
  sockets: number;
  window: number;
  /** Concurrent SSE streams. */
  streams: number;
  log: (line: string) => void;
}

export interface RealtimeResults {
  settings: Omit<RealtimeSettings, 'log'>;
  /** Per target: WebSocket messages echoed per second, one number per round. */
  wsRates: Map<RealtimeTarget['id'], number[]>;
  /** Per target: SSE events received per second, one number per round. */
  sseRates: Map<RealtimeTarget['id'], number[]>;
}

const payload = Buffer.alloc(64, 'x');

/** Echo messages per second over `sockets` connections, each with `window` messages in flight. */
async function echoRate(port: number, settings: RealtimeSettings, seconds: number): Promise<number> {
  const sockets = await Promise.all(Array.from({ length: settings.sockets }, () => new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/echo`);
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  })));
  let count = 0;
  let running = true;
  for (const ws of sockets) {
    ws.on('message', (data: Buffer) => {
      if (data.length !== payload.length) throw new Error(`echo of ${data.length} bytes, expected ${payload.length}`);
      count++;
      if (running) ws.send(payload);
    });
    for (let i = 0; i < settings.window; i++) ws.send(payload);
  }
  await new Promise((r) => setTimeout(r, seconds * 1000));
  running = false;
  const total = count;
  await Promise.all(sockets.map((ws) => new Promise<void>((resolve) => {
    ws.once('close', () => resolve());
    ws.terminate();
  })));
  return total / seconds;
}

/** SSE events per second over `streams` concurrent streams, counted by their blank-line ends. */
async function sseRate(port: number, settings: RealtimeSettings, seconds: number): Promise<number> {
  let count = 0;
  const requests = Array.from({ length: settings.streams }, () => {
    const req = request({ host: '127.0.0.1', port, path: '/events', headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) throw new Error(`GET /events answered ${res.statusCode}`);
      let tail = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const text = tail + chunk;
        let at = text.indexOf('\n\n');
        let last = -2;
        while (at !== -1) {
          count++;
          last = at;
          at = text.indexOf('\n\n', at + 2);
        }
        tail = text.slice(last + 2);
      });
      res.on('error', () => undefined);
    });
    req.on('error', () => undefined);
    req.end();
    return req;
  });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const total = count;
  for (const req of requests) req.destroy();
  return total / seconds;
}

function push(map: Map<RealtimeTarget['id'], number[]>, id: RealtimeTarget['id'], value: number): void {
  const list = map.get(id) ?? [];
  list.push(value);
  map.set(id, list);
}

export async function runRealtimePhase(settings: RealtimeSettings): Promise<RealtimeResults> {
  const { log, ...rest } = settings;
  const results: RealtimeResults = { settings: rest, wsRates: new Map(), sseRates: new Map() };
  for (let round = 1; round <= settings.rounds; round++) {
    for (const target of realtimeTargets) {
      const running: RunningTarget<RealtimeTarget> = await startTarget(target);
      try {
        if (settings.warmupSeconds > 0) {
          await echoRate(running.port, settings, settings.warmupSeconds);
          await sseRate(running.port, settings, settings.warmupSeconds);
        }
        const ws = await echoRate(running.port, settings, settings.seconds);
        const sse = await sseRate(running.port, settings, settings.seconds);
        push(results.wsRates, target.id, ws);
        push(results.sseRates, target.id, sse);
        log(`  round ${round}/${settings.rounds} ${target.label}: ${Math.round(ws)} WebSocket messages/s, ${Math.round(sse)} SSE events/s`);
      } finally {
        await running.stop();
      }
    }
  }
  return results;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** The realtime block of BENCHMARKS.md. */
export function realtimeSection(results: RealtimeResults, date: string): string {
  const s = results.settings;
  const rows: string[] = [
    `Measured ${date}: ${s.rounds} rounds of ${s.seconds} s per target (after ${s.warmupSeconds} s of warm-up), medians.`,
    `WebSocket: ${s.sockets} connections, each keeping ${s.window} 64-byte binary messages in flight. SSE: ${s.streams} streams of \`{"n":<count>}\` events read as fast as the client can.`,
    '',
    '| scenario | ws / node:http | Cello | Cello ÷ plain | goal |',
    '| --- | --: | --: | --: | :-: |',
  ];
  const line = (name: string, map: Map<RealtimeTarget['id'], number[]>, goal: number | null) => {
    const plain = median(map.get('plain') ?? []);
    const cello = median(map.get('cello') ?? []);
    const r = cello / plain;
    const verdict = goal === null ? '-' : `≥ ${goal.toFixed(2)}x ${r >= goal ? '✓' : '✗'}`;
    rows.push(`| ${name} | ${int(plain)} | ${int(cello)} | ${r.toFixed(2)}x | ${verdict} |`);
  };
  line('WebSocket echo, messages/s', results.wsRates, 0.9);
  line('SSE, events/s', results.sseRates, null);
  return rows.join('\n');
}
