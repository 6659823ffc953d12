// parse-prometheus-text-format ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parse = require('parse-prometheus-text-format') as (text: string) => ParsedFamily[];

export interface ParsedSample {
  labels?: Record<string, string>;
  value?: string;
  buckets?: Record<string, string>;
  count?: string;
  sum?: string;
}

export interface ParsedFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: ParsedSample[];
}

/**
 * A scrape parsed by a Prometheus exposition-format parser, by metric name. The parser folds a
 * labelled histogram's series into one, so histograms' lines are also read as plain samples:
 * `<name>_bucket` (with `le`), `<name>_sum` and `<name>_count` families.
 */
export function parseMetrics(text: string): Map<string, ParsedFamily> {
  const histograms = [...text.matchAll(/^# TYPE (\S+) histogram$/gm)].map((m) => m[1]!);
  const plain = text.split('\n').filter((line) => !histograms.some((h) => line.startsWith(`# TYPE ${h} `) || line.startsWith(`# HELP ${h} `))).join('\n');
  const families = new Map(parse(text).map((family) => [family.name, family]));
  for (const family of parse(plain)) {
    if (!histograms.some((h) => family.name.startsWith(`${h}_`))) continue;
    // Each label set's lines interleave the three names: one family per run of lines.
    const seen = families.get(family.name);
    if (seen === undefined) families.set(family.name, family);
    else seen.metrics.push(...family.metrics);
  }
  return families;
}

/** One labelled series of a histogram: its count, sum and cumulative buckets by `le`. */
export function histogram(metrics: Map<string, ParsedFamily>, name: string, labels: Record<string, string>): { count: number; sum: number; buckets: Record<string, number> } | undefined {
  const count = valueOf(metrics, `${name}_count`, labels);
  if (count === undefined) return undefined;
  const buckets: Record<string, number> = {};
  for (const m of metrics.get(`${name}_bucket`)!.metrics) {
    if (Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)) buckets[m.labels!.le!] = Number(m.value);
  }
  return { count, sum: valueOf(metrics, `${name}_sum`, labels)!, buckets };
}

/** The value of the sample of `name` whose labels include `labels` (undefined: none). */
export function sample(metrics: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): ParsedSample | undefined {
  return metrics.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}

export function valueOf(metrics: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = sample(metrics, name, labels);
  return found === undefined ? undefined : Number(found.value ?? found.count);
}
