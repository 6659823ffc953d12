// The offload benchmark's target: GET /hello and a CPU-bound GET /work?rounds=N, the latter
// on the event loop or, with CELLO_BENCH_OFFLOAD=1, on one worker thread (@Offload).
import { App } from '@cello/core';
import { InlineWorkController, OffloadedWorkController } from '../fixtures/cpu-work.js';
import { host, port } from '../fixtures/port.js';

const offload = process.env.CELLO_BENCH_OFFLOAD === '1';
const app = new App({
  controllers: [offload ? OffloadedWorkController : InlineWorkController],
  logger: false,
  offload: { minThreads: 1, maxThreads: Number(process.env.CELLO_BENCH_OFFLOAD_THREADS ?? 1) },
});
app.get('/hello', () => ({ message: 'Hello, World!' }));
void app.listen({ port, host });
