import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, getFresh } from './helpers/cluster-http';
import { parseMetrics, valueOf } from './helpers/prometheus';

// A real cluster: the fixture calls app.listen({ workers: 2 }) with enablePrometheus().
const fixture = join(__dirname, 'fixtures/metrics-workers-server.js');

const get = getFresh;

test('with listen({ workers: 2 }), one scrape of /metrics counts the requests of every worker', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [fixture], { env: { ...process.env, PORT: String(port), CELLO_WORKERS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    // The primary and both workers print it.
    while ((output.match(/^listening /gm) ?? []).length < 3) {
      if (child.exitCode !== null) throw new Error(output);
      await new Promise((r) => setTimeout(r, 20));
    }
    const pids = new Map<number, number>();
    for (let i = 0; i < 40 && (pids.size < 2 || i < 10); i++) {
      const pid = (JSON.parse((await get(port, '/pid')).body) as { pid: number }).pid;
      pids.set(pid, (pids.get(pid) ?? 0) + 1);
    }
    expect(pids.size).toBe(2);
    const sent = [...pids.values()].reduce((a, b) => a + b, 0);

    // Every scrape, whichever worker answers it, has the sum over both workers.
    for (let i = 0; i < 2; i++) {
      const res = await get(port, '/metrics');
      expect(res.status).toBe(200);
      const metrics = parseMetrics(res.body);
      expect(valueOf(metrics, 'cello_http_requests_total', { method: 'GET', route: '/pid', status: '200' })).toBe(sent);
      expect(valueOf(metrics, 'cello_http_request_duration_seconds_count', { route: '/pid', status: '200' })).toBe(sent);
      // Process metrics of both workers, summed.
      expect(metrics.has('process_resident_memory_bytes')).toBe(true);
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}, 60_000);
