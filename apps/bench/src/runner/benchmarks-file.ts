// BENCHMARKS.md keeps the latest tables between markers; a run rewrites only its own blocks, so
// `bench:instr` leaves the req/s tables alone and the hand-written analysis survives every run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export type BlockName = 'machine' | 'load' | 'instr' | 'workers' | 'realtime' | 'redis' | 'offload';

const template = `# Benchmarks

Written by \`npm run bench\` (and \`npm run bench:instr\` for the instruction counts) in
apps/bench: the blocks between the \`bench:\` markers are rewritten on each run, the rest is
kept. How the harness works: [README](../../README.md#benchmarks).

## Machine and versions

<!-- bench:machine:begin -->
<!-- bench:machine:end -->

## Throughput, latency, memory, startup

<!-- bench:load:begin -->
<!-- bench:load:end -->

## Instructions per request

<!-- bench:instr:begin -->
<!-- bench:instr:end -->

## Workers: one process against \`listen({ workers })\`

<!-- bench:workers:begin -->
<!-- bench:workers:end -->

## Realtime: WebSocket and server-sent events

<!-- bench:realtime:begin -->
<!-- bench:realtime:end -->

## Rate limits on Redis

<!-- bench:redis:begin -->
<!-- bench:redis:end -->

## Offloading CPU work: \`@Offload()\`

<!-- bench:offload:begin -->
<!-- bench:offload:end -->
`;

export function updateBenchmarksFile(file: string, blocks: Partial<Record<BlockName, string>>): void {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : template;
  for (const [name, content] of Object.entries(blocks)) {
    const begin = `<!-- bench:${name}:begin -->`;
    const end = `<!-- bench:${name}:end -->`;
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${file} has no ${begin} ... ${end} block; restore the markers`);
    text = `${text.slice(0, from + begin.length)}\n${content}\n${text.slice(to)}`;
  }
  writeFileSync(file, text);
}
