import cluster, { type Address, type Worker } from 'node:cluster';
import type { FastifyBaseLogger } from 'fastify';
import type { CelloError } from '../errors/cello-error.js';
import { celloError } from '../errors/cello-error.js';
import { groupSignalGraceMs, type StopMessage } from './stop-message.js';

export interface SupervisorOptions {
  count: number;
  log: FastifyBaseLogger;
  /** The app's shutdownTimeout: a worker still running this long (plus killGraceMs) after a stop is killed. */
  shutdownTimeoutMs: number;
}

/** Workers that exit before listening, in a row, before the primary gives up. */
export const maxFailedStarts = 5;
/** The pause before retrying a failed start; it doubles with each failure in a row. */
const firstRetryMs = 250;
/** A worker that lived at least this long died of something else than a crash loop: replaced at once. */
const stableMs = 10_000;
/** The pause before replacing a worker that died young; it doubles with each such death, up to maxRestartMs. */
const firstRestartMs = 100;
const maxRestartMs = 10_000;
/**
 * A worker that reaches shutdownTimeout cuts its own connections and exits within a second
 * (its signal handler forces it); the primary kills only one that cannot, such as a blocked
 * event loop, and waits this much longer so a slow worker reports what it cut itself.
 */
export const killGraceMs = 2000;

interface Waiter {
  port: number;
  workers: Set<number>;
  url: string | undefined;
  resolve: (url: string) => void;
  reject: (err: Error) => void;
}

/**
 * The cluster primary: forks the workers (each runs the same entry, whose listen() serves in
 * the worker), replaces one that dies with back-off, gives up after `maxFailedStarts` failed
 * starts in a row, and stops them all gracefully. Runs no startup hook itself.
 */
export class WorkerSupervisor {
  readonly #options: SupervisorOptions;
  readonly #bornAt = new Map<Worker, number>();
  // Where each worker listens (one entry per server: two apps, or 'localhost' on IPv4 and IPv6).
  readonly #listening = new Map<Worker, Address[]>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #waiters: Waiter[] = [];
  // Reset whenever a worker listens: a failure here and there is a death, not a broken start.
  #failedStarts = 0;
  #quickDeaths = 0;
  #clean = true;
  #failure: CelloError | undefined;
  #stopping: Promise<boolean> | undefined;
  #allExited: (() => void) | undefined;

  constructor(options: SupervisorOptions) {
    this.#options = options;
    cluster.on('listening', (worker, address) => this.#onListening(worker, address));
    cluster.on('exit', (worker, code, signal) => this.#onExit(worker, code, signal));
    options.log.info(`starting ${options.count} worker(s)`);
    for (let i = 0; i < options.count; i++) this.#fork();
  }

  /** Workers running now. */
  get size(): number {
    return this.#bornAt.size;
  }

  /** Resolves with the address once every worker listens on `port` (0: any); rejects when the app cannot start. */
  listening(port: number): Promise<string> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#stopping !== undefined) return Promise.reject(celloError('CELLO_ERR_APP_CLOSED'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { port, workers: new Set(), url: undefined, resolve, reject };
      // Workers that already listen count (a second app listening later in the same primary).
      for (const [worker, addresses] of this.#listening) for (const address of addresses) this.#offer(waiter, worker, address);
      if (!this.#isMet(waiter)) this.#waiters.push(waiter);
    });
  }

  #offer(waiter: Waiter, worker: Worker, address: Address): void {
    if (waiter.port !== 0 && waiter.port !== address.port) return;
    waiter.workers.add(worker.id);
    waiter.url ??= formatAddress(address);
  }

  #isMet(waiter: Waiter): boolean {
    if (waiter.workers.size < this.#options.count) return false;
    waiter.resolve(waiter.url!);
    return true;
  }

  #rejectWaiters(err: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(err);
  }

  /**
   * Asks every worker to shut down gracefully (no replacements from now on); kills one still
   * running `shutdownTimeout` + `killGraceMs` later. Resolves true when every worker that
   * served exited with code 0. Idempotent.
   */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<boolean> {
    return (this.#stopping ??= this.#stop(signal));
  }

  #stop(signal: NodeJS.Signals): Promise<boolean> {
    this.#rejectWaiters(celloError('CELLO_ERR_APP_CLOSED'));
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    if (this.#bornAt.size === 0) return Promise.resolve(this.#clean);
    const { log, shutdownTimeoutMs } = this.#options;
    log.info(`stopping ${this.#bornAt.size} worker(s)`);
    const message: StopMessage = { cello: 'stop-worker', signal, afterMs: groupSignalGraceMs };
    for (const worker of this.#bornAt.keys()) {
      if (worker.isConnected()) worker.send(message);
      else worker.process.kill(signal);
    }
    return new Promise((resolve) => {
      const killer = setTimeout(() => {
        for (const worker of this.#bornAt.keys()) {
          log.error({ code: 'CELLO_ERR_WORKERS_KILLED', pid: worker.process.pid }, `worker ${worker.process.pid} still running ${shutdownTimeoutMs + killGraceMs} ms after the stop request (shutdownTimeout + ${killGraceMs} ms); killing it`);
          worker.process.kill('SIGKILL');
        }
      }, shutdownTimeoutMs + killGraceMs);
      this.#allExited = () => {
        clearTimeout(killer);
        resolve(this.#clean);
      };
    });
  }

  #fork(): void {
    const worker = cluster.fork();
    this.#bornAt.set(worker, Date.now());
    // Sending to a worker that is dying fails with EPIPE; its 'exit' is what matters.
    worker.on('error', () => undefined);
  }

  #later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  #onListening(worker: Worker, address: Address): void {
    if (!this.#bornAt.has(worker)) return;
    const addresses = this.#listening.get(worker) ?? [];
    addresses.push(address);
    this.#listening.set(worker, addresses);
    this.#failedStarts = 0;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) {
      this.#offer(waiter, worker, address);
      if (!this.#isMet(waiter)) this.#waiters.push(waiter);
    }
  }

  #onExit(worker: Worker, code: number | null, signal: string | null): void {
    const bornAt = this.#bornAt.get(worker);
    if (bornAt === undefined) return;
    const served = this.#listening.delete(worker);
    this.#bornAt.delete(worker);
    const pid = worker.process.pid;
    const how = signal ?? `code ${code}`;
    if (this.#stopping !== undefined) {
      if (served && code !== 0) this.#clean = false;
      if (this.#bornAt.size === 0) this.#allExited?.();
      return;
    }
    const { log } = this.#options;
    if (!served) {
      this.#failedStarts++;
      if (this.#failedStarts >= maxFailedStarts) {
        this.#giveUp(how);
        return;
      }
      const delay = firstRetryMs * 2 ** (this.#failedStarts - 1);
      log.error({ code: 'CELLO_ERR_WORKERS_WORKER_DIED', pid }, `worker ${pid} exited (${how}) before listening (failed start ${this.#failedStarts} of ${maxFailedStarts}); starting another in ${delay} ms`);
      this.#later(delay, () => this.#fork());
      return;
    }
    this.#quickDeaths = Date.now() - bornAt >= stableMs ? 0 : this.#quickDeaths + 1;
    const delay = this.#quickDeaths === 0 ? 0 : Math.min(maxRestartMs, firstRestartMs * 2 ** (this.#quickDeaths - 1));
    log.error({ code: 'CELLO_ERR_WORKERS_WORKER_DIED', pid }, `worker ${pid} died (${how}); starting another${delay ? ` in ${delay} ms` : ''}`);
    this.#later(delay, () => this.#fork());
  }

  // Looping on a start that keeps failing would only hide it: stop everything and exit 1, so
  // whatever runs the process (systemd, Kubernetes) sees the failure.
  #giveUp(how: string): void {
    const failure = celloError('CELLO_ERR_WORKERS_START_FAILED', [this.#failedStarts, how]);
    this.#failure = failure;
    this.#clean = false;
    this.#options.log.error({ code: failure.code }, failure.message);
    this.#rejectWaiters(failure);
    void this.stop().then(() => {
      process.exitCode = 1;
      // Whatever else the entry keeps open in the primary must not keep it alive.
      setTimeout(() => process.exit(1), 1000).unref();
    });
  }
}

function formatAddress(address: Address): string {
  const host = address.address ?? 'localhost';
  return `http://${address.addressType === 6 ? `[${host}]` : host}:${address.port}`;
}

let supervisor: WorkerSupervisor | undefined;

/** One set of workers per process: a second app listening with workers joins the first's. */
export function superviseWorkers(options: SupervisorOptions): WorkerSupervisor {
  return (supervisor ??= new WorkerSupervisor(options));
}

export function isClusterPrimary(): boolean {
  return cluster.isPrimary;
}
