import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * One scrape of `/metrics` in a worker of `listen({ workers })` answers for every worker: the
 * worker asks the primary, which collects each worker's registries over cluster IPC
 * (prom-client's AggregatorRegistry: counters and histograms summed) and sends the text back.
 */

interface ScrapeRequest {
  cello: 'metrics-scrape';
  id: number;
}

interface ScrapeAnswer {
  cello: 'metrics-scraped';
  id: number;
  text?: string;
  error?: string;
}

const isRequest = (m: unknown): m is ScrapeRequest => typeof m === 'object' && m !== null && (m as ScrapeRequest).cello === 'metrics-scrape';
const isAnswer = (m: unknown): m is ScrapeAnswer => typeof m === 'object' && m !== null && (m as ScrapeAnswer).cello === 'metrics-scraped';

// The registries of every app in this worker process (prom-client reports them all at once).
const registries = new Set<Registry>();
const waiting = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void; timer: NodeJS.Timeout }>();
let nextId = 0;
let inWorker = false;
let inPrimary = false;

/** In a worker: answers the primary's collection with `registry` (and those of other apps here). */
export function joinCluster(registry: Registry): void {
  registries.add(registry);
  AggregatorRegistry.setRegistries([...registries]);
  if (inWorker) return;
  inWorker = true;
  // Constructing one installs prom-client's listener for the primary's collection requests.
  new AggregatorRegistry();
  process.on('message', (message: unknown) => {
    if (!isAnswer(message)) return;
    const wait = waiting.get(message.id);
    if (wait === undefined) return;
    waiting.delete(message.id);
    clearTimeout(wait.timer);
    if (message.error !== undefined) wait.reject(new Error(message.error));
    else wait.resolve(message.text ?? '');
  });
}

/** In a worker: the metrics of every worker, as Prometheus text. */
export function scrapeCluster(timeoutMs: number): Promise<string> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error(`the cluster primary did not answer a metrics scrape within ${timeoutMs} ms`));
    }, timeoutMs);
    waiting.set(id, { resolve, reject, timer });
    process.send!({ cello: 'metrics-scrape', id } satisfies ScrapeRequest);
  });
}

/** In the primary: answers workers' scrapes. Once per process. */
export function answerScrapes(): void {
  if (inPrimary) return;
  inPrimary = true;
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isRequest(message)) return;
    const answer = (a: Omit<ScrapeAnswer, 'cello' | 'id'>): void => {
      if (worker.isConnected()) worker.send({ cello: 'metrics-scraped', id: message.id, ...a } satisfies ScrapeAnswer);
    };
    aggregator.clusterMetrics().then((text) => answer({ text }), (err: Error) => answer({ error: err.message }));
  });
}

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}
