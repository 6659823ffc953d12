import { Body, Controller, Offload, Post } from '@cello/core';
import { ForecastRequest } from '../dtos/forecast-request.js';

// A small deterministic PRNG (mulberry32): the same request gives the same forecast.
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

@Controller('/reports')
export class ReportsController {
  // A Monte Carlo forecast: CPU-bound for large `simulations`, so it runs on a worker thread and
  // the event loop keeps answering other requests. Validation of the body (a 422) and the rate
  // limit still happen on the main thread; the worker gets a ForecastRequest instance.
  @Post('/forecast', { summary: 'Demand forecast by bootstrap simulation (runs on a worker thread)' })
  @Offload()
  forecast(@Body() request: ForecastRequest) {
    const random = seeded(request.weeklySales.reduce((h, n) => Math.imul(h ^ n, 16777619), 2166136261));
    const totals = new Float64Array(request.simulations);
    for (let i = 0; i < totals.length; i++) totals[i] = request.total(random);
    totals.sort();
    const at = (q: number) => totals[Math.min(totals.length - 1, Math.floor(q * totals.length))]!;
    return { weeks: request.weeks, simulations: request.simulations, p10: at(0.1), p50: at(0.5), p90: at(0.9) };
  }
}
