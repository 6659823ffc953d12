// Markdown tables of a bench run. Every ratio reads "as fast as raw fastify = 1.00x, higher is
// better": req/s is target ÷ fastify, instructions per request is fastify ÷ target.
import type { Scenario } from '../scenarios.js';
import { baselineId, supports, type Target, type TargetId } from '../target-registry.js';
import type { MachineInfo } from './machine.js';
import type { InstrStore } from './instr-store.js';
import { cellKey, type CellKey, type LoadResults } from './results.js';
import { median } from './stats.js';

const celloId: TargetId = 'cello';
const nestFastifyId: TargetId = 'nest-fastify';
/** Issue 8: RSS after load at most 1.3x raw fastify's, time to first response at most 2x. */
const maxRssRatio = 1.3;
const maxStartupRatio = 2;

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (r: number) => `${r.toFixed(2)}x`;
const mark = (ok: boolean) => (ok ? '✓' : '✗');

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function header(first: string, targets: readonly Target[]): string[] {
  return [row([first, ...targets.map((t) => t.label)]), row(['---', ...targets.map(() => '--:')])];
}

/** Footnotes for cells without a number, so a blank always says why. */
class Notes {
  readonly #lines: string[] = [];

  add(text: string): string {
    let i = this.#lines.indexOf(text);
    if (i < 0) i = this.#lines.push(text) - 1;
    return `[${i + 1}]`;
  }

  render(): string[] {
    return this.#lines.length ? ['', ...this.#lines.map((l, i) => `[${i + 1}] ${l}  `)] : [];
  }
}

/**
 * A matrix of one measure: `value(target, scenario)` gives the number or a reason for none.
 * `better(value, baseline)` is the ratio to raw fastify, or null to print no ratio.
 */
function matrix(options: {
  title: string;
  targets: readonly Target[];
  scenarios: readonly Scenario[];
  notes: Notes;
  value: (t: Target, s: Scenario) => number | string;
  format: (n: number) => string;
  better?: (value: number, baseline: number) => number;
  flag?: (t: Target, s: Scenario, r: number) => boolean;
}): string[] {
  const lines = header(options.title, options.targets);
  for (const s of options.scenarios) {
    const baseline = options.targets.find((t) => t.id === baselineId);
    const base = baseline ? options.value(baseline, s) : 'no baseline';
    const cells = options.targets.map((t) => {
      const v = options.value(t, s);
      if (typeof v === 'string') return `n/a ${options.notes.add(`${t.label}, ${s.title}: ${v}`)}`;
      if (!options.better || typeof base !== 'number' || t.id === baselineId) return options.format(v);
      const r = options.better(v, base);
      const flagged = options.flag?.(t, s, r) ?? false;
      return `${options.format(v)} (${ratio(r)}${flagged ? ' ✗' : ''})`;
    });
    lines.push(row([s.title, ...cells]));
  }
  return lines;
}

function unsupportedOr(t: Target, s: Scenario, failure: string | undefined): string | null {
  if (!supports(t, s.id)) return `unsupported: ${t.unsupported[s.id]}`;
  if (failure !== undefined) return `FAILED: ${failure.split('\n')[0]}`;
  return null;
}

/** Cello's rows against issue 8's targets, from any per-cell measure where higher ratio is better. */
function verdict(options: {
  measure: string;
  scenarios: readonly Scenario[];
  ratioTo: (s: Scenario, other: TargetId) => number | null;
}): string[] {
  const lines = [
    row(['scenario', 'Cello needs', `Cello ${options.measure} x raw fastify`, `Cello x NestJS (fastify)`]),
    row(['---', '--:', '--:', '--:']),
  ];
  for (const s of options.scenarios) {
    const vsFastify = options.ratioTo(s, baselineId);
    const vsNest = options.ratioTo(s, nestFastifyId);
    lines.push(row([
      s.title,
      `≥ ${ratio(s.minRatio)}`,
      vsFastify === null ? 'n/a' : `${ratio(vsFastify)} ${mark(vsFastify >= s.minRatio)}`,
      vsNest === null ? 'n/a' : `${ratio(vsNest)} ${mark(vsNest > 1)}`,
    ]));
  }
  return lines;
}

export function machineSection(m: MachineInfo): string {
  return [
    `Measured ${m.date} on ${m.cpu}, ${m.nproc} cores (nproc), ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; ${m.valgrind}.`,
    '',
    row(['package', 'version']),
    row(['---', '---']),
    ...Object.entries(m.packages).map(([name, version]) => row([name, version])),
  ].join('\n');
}

export function loadSection(results: LoadResults, targets: readonly Target[], scenarios: readonly Scenario[], date: string): string {
  const { settings } = results;
  const notes = new Notes();
  const failure = (t: Target, s: Scenario) => results.failures.get(t.id) ?? results.failures.get(cellKey(t.id, s.id));
  const samples = (t: Target, s: Scenario) => {
    const why = unsupportedOr(t, s, failure(t, s));
    if (why) return why;
    const cell = results.cells.get(cellKey(t.id, s.id));
    if (!cell || cell.requestsPerSecond.length === 0) return 'not measured';
    if (cell.bad > 0) return `FAILED: ${cell.bad} bad answers (non-2xx, errors or timeouts) under load`;
    return cell;
  };
  const reqs = (t: Target, s: Scenario) => { const c = samples(t, s); return typeof c === 'string' ? c : median(c.requestsPerSecond); };
  const p99 = (t: Target, s: Scenario) => { const c = samples(t, s); return typeof c === 'string' ? c : median(c.p99Ms); };
  const celloFlag = (t: Target, s: Scenario, r: number) => t.id === celloId && r < s.minRatio;

  const lines = [
    `${date}: ${settings.rounds} rounds × ${settings.seconds} s per target and scenario after ${settings.warmupSeconds} s of warm-up, ` +
      `${settings.connections} connections, targets interleaved round by round; medians. ✗ marks Cello below its target.`,
    '',
    ...matrix({ title: 'req/s (x raw fastify)', targets, scenarios, notes, value: reqs, format: int, better: (v, b) => v / b, flag: celloFlag }),
    '',
    ...matrix({ title: 'p99 latency, ms', targets, scenarios, notes, value: p99, format: (n) => n.toFixed(1) }),
    '',
  ];

  const base = (map: Map<TargetId, number>) => map.get(baselineId);
  const startup = new Map([...results.startupMs].map(([id, ms]) => [id, median(ms)] as const));
  const perTarget = (title: string, map: Map<TargetId, number>, format: (n: number) => string, max: number) => {
    const b = base(map);
    return row([title, ...targets.map((t) => {
      const v = map.get(t.id);
      if (v === undefined) return `n/a ${notes.add(`${t.label}: ${results.failures.get(t.id)?.split('\n')[0] ?? 'not measured'}`)}`;
      if (b === undefined || t.id === baselineId) return format(v);
      const r = v / b;
      return `${format(v)} (${ratio(r)}${t.id === celloId && r > max ? ' ✗' : ''})`;
    })]);
  };
  lines.push(
    ...header('per target (x raw fastify, lower is better)', targets),
    perTarget(`time to first response, ms (Cello ≤ ${maxStartupRatio}x)`, startup, (n) => n.toFixed(0), maxStartupRatio),
    perTarget(`RSS after load, MB (Cello ≤ ${maxRssRatio}x)`, results.rssAfterLoad, (n) => (n / 2 ** 20).toFixed(1), maxRssRatio),
    '',
    'Cello against issue 8 by req/s:',
    '',
    ...verdict({
      measure: 'req/s',
      scenarios,
      ratioTo: (s, other) => {
        const cello = targets.find((t) => t.id === celloId);
        const o = targets.find((t) => t.id === other);
        if (!cello || !o) return null;
        const c = reqs(cello, s);
        const v = reqs(o, s);
        return typeof c === 'number' && typeof v === 'number' ? c / v : null;
      },
    }),
    ...notes.render(),
  );
  return lines.join('\n');
}

export function instrSection(store: InstrStore, failures: ReadonlyMap<CellKey, string>, targets: readonly Target[], scenarios: readonly Scenario[]): string {
  const notes = new Notes();
  const count = (t: TargetId, s: Scenario) => store.cells[cellKey(t, s.id)]?.instructionsPerRequest;
  const value = (t: Target, s: Scenario) => {
    const why = unsupportedOr(t, s, failures.get(cellKey(t.id, s.id)));
    if (why) return why;
    return count(t.id, s) ?? 'not measured';
  };
  // Cells may come from different runs (see instr-store.ts): say when and at which commit.
  const provenance = targets.map((t) => {
    const stored = scenarios.flatMap((s) => store.cells[cellKey(t.id, s.id)] ?? []);
    if (stored.length === 0) return `${t.label}: not counted`;
    const dates = stored.map((c) => c.measured).sort();
    const commits = [...new Set(stored.flatMap((c) => c.commit.split(', ')))].join(', ');
    const span = dates[0] === dates.at(-1) ? dates[0] : `${dates[0]} to ${dates.at(-1)}`;
    return `${t.label}: ${span} at ${commits}`;
  });
  const lines = [
    `CPU instructions per request under callgrind (instr-per-request.mjs: ${store.warmup} warm-up requests, ` +
      `${store.requests} counted, 16 in flight; the least of the runs listed in instr-results.json). About 1% run to run on a ` +
      `quiet machine; a busy one only adds instructions. The ratio is raw fastify's count ÷ the target's, so higher is better.`,
    '',
    `Counted ${provenance.join('; ')}.`,
    '',
    ...matrix({
      title: 'instructions/request (x raw fastify)',
      targets, scenarios, notes, value, format: int,
      better: (v, b) => b / v,
      flag: (t, s, r) => t.id === celloId && r < s.minRatio,
    }),
    '',
    'Cello against issue 8 by instructions per request (these decide when they disagree with req/s):',
    '',
    ...verdict({
      measure: 'instructions',
      scenarios,
      ratioTo: (s, other) => {
        const c = count(celloId, s);
        const o = count(other, s);
        return c !== undefined && o !== undefined ? o / c : null;
      },
    }),
    ...notes.render(),
  ];
  return lines.join('\n');
}
