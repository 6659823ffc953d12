// The realtime targets do what the realtime bench counts: echo a WebSocket message as it came,
// and stream `data: {"n":...}` events. Run from dist/ like the other targets.
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { realtimeTargets, type RealtimeTarget } from '../src/runner/run-realtime.js';
import { startTarget, type RunningTarget } from '../src/runner/spawn-target.js';

// Booting on a busy 2-core machine can take a while; this bounds a hang, it times nothing.
jest.setTimeout(120_000);

const running = new Map<string, RunningTarget<RealtimeTarget>>();

beforeAll(async () => {
  const missing = realtimeTargets.filter((t) => !existsSync(t.entry)).map((t) => t.entry);
  if (missing.length) throw new Error(`not built: ${missing.join(', ')} (run \`npm run build\` first)`);
  for (const target of realtimeTargets) running.set(target.id, await startTarget(target, { timeoutMs: 100_000 }));
});

afterAll(async () => {
  await Promise.all([...running.values()].map((r) => r.stop()));
});

describe.each(realtimeTargets.map((t) => [t.label, t] as const))('%s', (_label, target) => {
  test('echoes a binary WebSocket message', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${running.get(target.id)!.port}/echo`);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const sent = Buffer.from('0123456789abcdef');
    const echoed = new Promise<[Buffer, boolean]>((resolve) => ws.once('message', (data: Buffer, isBinary) => resolve([data, isBinary])));
    ws.send(sent);
    expect(await echoed).toEqual([sent, true]);
    ws.terminate();
  });

  test('streams numbered events', async () => {
    const text = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: running.get(target.id)!.port, path: '/events' }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        let received = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          received += chunk;
          if (received.split('\n\n').length > 3) {
            req.destroy();
            resolve(received);
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(text.startsWith('data: {"n":0}\n\ndata: {"n":1}\n\ndata: {"n":2}\n\n')).toBe(true);
  });
});
