// The app under soak, run as a child process (`node --expose-gc dist/soak/soak-server.js`) so its
// RSS is its own. It talks to the runner over IPC: samples every 250 ms, and on request a
// measurement taken after a full GC. Loopback only.
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { IsInt, IsString, Length, Min } from 'class-validator';
import { App, Cache, Controller, Depends, Get, Param, Post, RateLimit, RateLimitConfig, Response } from '@cello/core';
import type { Measurement, RunnerMessage, ServerMessage } from './protocol.js';

export class Order {
  @IsString() @Length(1, 32) sku!: string;
  @IsInt() @Min(1) qty!: number;
}

const counts = { depStarted: 0, depCleaned: 0, slowStarted: 0, slowCleaned: 0, streamsStarted: 0, streamsEnded: 0 };

// A generator dependency, as a database connection would be: the cleanup is counted.
async function* lease() {
  counts.depStarted++;
  try {
    yield { id: counts.depStarted };
  } finally {
    counts.depCleaned++;
  }
}

async function* slowLease() {
  counts.slowStarted++;
  try {
    yield true;
  } finally {
    counts.slowCleaned++;
  }
}

const chunk = Buffer.alloc(64 * 1024, 'x');

@Controller('/')
class SoakController {
  @Get('/plain')
  plain() {
    return { hello: 'world' };
  }

  @Post('/dto')
  order(order: Order) {
    return { sku: order.sku, qty: order.qty, total: order.qty * 2 };
  }

  @Get('/dep/{n}')
  dep(@Param('n') n: number, @Depends(lease) conn: { id: number }) {
    return { n, leased: conn.id > 0 };
  }

  @Get('/cached')
  @Cache({ ttl: 3600 })
  cached() {
    return { cached: true, items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `item ${i}` })) };
  }

  @Get('/limited')
  @RateLimit(RateLimitConfig.tokenBucket({ requests: 10_000_000, window: 60 }))
  limited() {
    return { limited: false };
  }

  // Clients abort this one mid-request: the dependency must still be cleaned up, once.
  @Get('/slow')
  async slow(@Depends(slowLease) _lease: boolean) {
    await sleep(30);
    return { slow: true };
  }

  // `bytes` of a shared 64 KiB chunk, pulled as the client reads (backpressure).
  @Get('/stream/{bytes}')
  stream(@Param('bytes') bytes: number) {
    let left = bytes;
    counts.streamsStarted++;
    const source = new Readable({
      read() {
        if (left <= 0) {
          this.push(null);
          return;
        }
        const n = Math.min(left, chunk.length);
        left -= n;
        this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      },
    });
    source.on('close', () => counts.streamsEnded++);
    return Response.stream(source, { headers: { 'content-type': 'application/octet-stream' } });
  }
}

const app = new App({
  controllers: [SoakController],
  logger: false,
  fastify: {
    // Slowloris protection set here explicitly (Node checks the timeouts every second), so the
    // soak does not depend on whatever the defaults are.
    serverFactory: (handler) => createServer({ headersTimeout: 5_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000, keepAliveTimeout: 5_000 }, handler),
  },
});
app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 10_000_000, window: 60 }));

const eld = monitorEventLoopDelay({ resolution: 10 });
eld.enable();

function handles(): Record<string, number> {
  const byType: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) byType[type] = (byType[type] ?? 0) + 1;
  return byType;
}

function measure(): Measurement {
  const mem = process.memoryUsage();
  return {
    at: Date.now(),
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    external: mem.external + mem.arrayBuffers,
    eldP99: eld.percentile(99) / 1e6,
    handles: handles(),
    counts: { ...counts },
  };
}

function send(message: ServerMessage): void {
  process.send?.(message);
}

async function afterGc(): Promise<Measurement> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the soak server with --expose-gc');
  // Read before collecting: a forced GC blocks the loop and would show up as delay.
  const eldP99 = eld.percentile(99) / 1e6;
  // A few rounds with a tick between: finalizers and weak callbacks free more on the next pass.
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(20);
  }
  return { ...measure(), eldP99 };
}

process.on('message', (message: RunnerMessage) => {
  if (message.type === 'measure') {
    afterGc().then((m) => send({ type: 'measured', id: message.id, measurement: m }));
  } else if (message.type === 'reset-eld') {
    eld.reset();
  } else if (message.type === 'stop') {
    clearInterval(sampler);
    app.close().then(() => process.exit(0), () => process.exit(1));
  }
});
process.on('disconnect', () => process.exit(0));

const sampler = setInterval(() => send({ type: 'sample', measurement: measure() }), 250);

app.listen({ port: 0, host: '127.0.0.1' }).then((url) => send({ type: 'ready', url }), (err) => {
  console.error(err);
  process.exit(1);
});
