/**
 * The numbers behind Cello's own metrics, kept as plain fields the request path adds to, and
 * turned into prom-client's metric shape only when scraped. prom-client's own Counter and
 * Histogram hash their label object on every `inc`/`observe`, even through `labels()` children;
 * here a route's series is found once at startup and a status's on its first response.
 */

type Labels = Readonly<Record<string, string>>;

/** What prom-client's registry reads from a metric (`registerMetric`, `getMetricsAsJSON`). */
export interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

interface Snapshot {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  values: MetricValue[];
  aggregator: 'sum';
}

/** Base of the metrics registered in a prom-client Registry. */
abstract class Metric {
  readonly aggregator = 'sum' as const;
  abstract readonly type: Snapshot['type'];
  constructor(readonly name: string, readonly help: string) {}

  protected abstract values(): MetricValue[];

  get(): Snapshot {
    return { name: this.name, help: this.help, type: this.type, values: this.values(), aggregator: this.aggregator };
  }

  /** `registry.resetMetrics()`: Cello's series only grow; nothing to do. */
  reset(): void {}
}

/** One status of one route: a request count and duration buckets (not cumulative; summed when scraped). */
export class StatusSeries {
  count = 0;
  sum = 0;
  readonly buckets: number[];

  constructor(readonly labels: Labels, bucketCount: number) {
    this.buckets = new Array<number>(bucketCount + 1).fill(0);
  }
}

/** Requests of one method on one route pattern, by status. */
export class RouteSeries {
  // Indexed by status code (fastify only sends 100..599): no hashing per response.
  readonly #byStatus: (StatusSeries | undefined)[] = new Array<StatusSeries | undefined>(600).fill(undefined);
  readonly #requests: RequestSeries;

  constructor(readonly method: string, readonly route: string, requests: RequestSeries) {
    this.#requests = requests;
  }

  /** Counts one answered request that took `seconds`. */
  observe(status: number, seconds: number): void {
    const series = this.#byStatus[status] ?? this.#add(status);
    series.count++;
    series.sum += seconds;
    const bounds = this.#requests.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    series.buckets[i]!++;
  }

  #add(status: number): StatusSeries {
    const series = new StatusSeries({ method: this.method, route: this.route, status: String(status) }, this.#requests.bounds.length);
    if (status >= 0 && status < 600) this.#byStatus[status] = series;
    this.#requests.all.push(series);
    return series;
  }
}

/** Every route's series, and the two metrics (count, duration histogram) that read them. */
export class RequestSeries {
  readonly all: StatusSeries[] = [];
  readonly #routes = new Map<string, RouteSeries>();
  readonly counter: Metric;
  readonly histogram: Metric;

  constructor(readonly bounds: readonly number[], names: { total: string; duration: string }) {
    const all = this.all;
    this.counter = new (class extends Metric {
      readonly type = 'counter' as const;
      protected values(): MetricValue[] {
        return all.map((s) => ({ labels: { ...s.labels }, value: s.count }));
      }
    })(names.total, 'HTTP requests answered, by method, route pattern and status');
    this.histogram = new (class extends Metric {
      readonly type = 'histogram' as const;
      protected values(): MetricValue[] {
        const out: MetricValue[] = [];
        for (const s of all) {
          let cumulative = 0;
          for (let i = 0; i <= bounds.length; i++) {
            cumulative += s.buckets[i]!;
            out.push({ labels: { ...s.labels, le: i < bounds.length ? bounds[i]! : '+Inf' }, value: cumulative, metricName: `${this.name}_bucket` });
          }
          out.push({ labels: { ...s.labels }, value: s.sum, metricName: `${this.name}_sum` });
          out.push({ labels: { ...s.labels }, value: s.count, metricName: `${this.name}_count` });
        }
        return out;
      }
    })(names.duration, 'HTTP request duration in seconds, by method, route pattern and status');
  }

  /** The series of `method` on `route` (a pattern, or the fixed label of unmatched requests). */
  route(method: string, route: string): RouteSeries {
    const key = `${method} ${route}`;
    let series = this.#routes.get(key);
    if (series === undefined) this.#routes.set(key, (series = new RouteSeries(method, route, this)));
    return series;
  }
}

/** A counter with a fixed set of label names whose children are found once and kept. */
export class LabelledCounter extends Metric {
  readonly type = 'counter' as const;
  readonly #children = new Map<string, { labels: Labels; value: number }>();

  child(key: string, labels: Labels): { value: number } {
    let child = this.#children.get(key);
    if (child === undefined) this.#children.set(key, (child = { labels, value: 0 }));
    return child;
  }

  protected values(): MetricValue[] {
    return [...this.#children.values()].map((c) => ({ labels: { ...c.labels }, value: c.value }));
  }
}

/** A gauge read from a function when scraped. */
export class ReadGauge extends Metric {
  readonly type = 'gauge' as const;
  constructor(name: string, help: string, readonly read: () => number) {
    super(name, help);
  }

  protected values(): MetricValue[] {
    return [{ labels: {}, value: this.read() }];
  }
}
