import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, relative, sep } from 'node:path';
import { AppProcess } from './app-process.js';
import { fingerprint } from './build-output.js';
import { watchTree, type TreeWatcher } from './watch-tree.js';

export interface DevServerOptions {
  root: string;
  /** The tsc launcher (typescript's bin/tsc) of the project. */
  tsc: string;
  /** Absolute path of the built entry, e.g. `<root>/dist/main.js`. */
  entry: string;
  /** Folders and files whose changes trigger a build. */
  watch: readonly string[];
}

const debounceMs = 100;

/**
 * Build, (re)start, repeat. tsc runs as one-shot `tsc -b` builds driven by our own file watcher:
 * TypeScript 7's `tsc --watch` starts but does not notice changes here. A build that fails
 * leaves the running app alone, so the last good build keeps serving.
 */
export class DevServer {
  readonly #options: DevServerOptions;
  readonly #app: AppProcess;
  #watcher: TreeWatcher | undefined;
  #build: ChildProcess | undefined;
  #busy = false;
  #pending = false;
  #timer: NodeJS.Timeout | undefined;
  #started: string | undefined;
  #closed = false;

  constructor(options: DevServerOptions) {
    this.#options = options;
    this.#app = new AppProcess({ entry: options.entry, cwd: options.root, log });
  }

  start(): void {
    this.#watcher = watchTree(this.#options.watch, (file) => {
      if (/\.(m|c)?tsx?$|\.json$/.test(file)) this.#schedule();
    });
    void this.#cycle();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#watcher?.close();
    this.#build?.kill('SIGTERM');
    await this.#app.stop(true);
  }

  #schedule(): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (this.#busy) this.#pending = true;
      else void this.#cycle();
    }, debounceMs);
  }

  /** One build and, if it succeeded with new output, one restart; never two at once. */
  async #cycle(): Promise<void> {
    this.#busy = true;
    try {
      do {
        this.#pending = false;
        await this.#buildAndRestart();
        // Sources changed meanwhile: what just ran is already stale.
      } while (this.#pending && !this.#closed);
    } finally {
      this.#busy = false;
    }
  }

  async #buildAndRestart(): Promise<void> {
    log('building (tsc -b)');
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [this.#options.tsc, '-b'], { cwd: this.#options.root, stdio: 'inherit' });
      this.#build = child;
      child.on('exit', (c) => resolve(c));
      child.on('error', () => resolve(null));
    });
    this.#build = undefined;
    if (this.#closed || this.#pending) return;
    if (code !== 0) {
      log(this.#app.isRunning ? 'compile errors (above); still serving the last good build' : 'compile errors (above); waiting for a fix');
      return;
    }
    const current = fingerprint(outputDir(this.#options.root, this.#options.entry));
    if (this.#app.isRunning && current === this.#started) {
      log('no output changed');
      return;
    }
    if (this.#app.isRunning) log('restarting');
    await this.#app.stop();
    if (this.#closed) return;
    this.#started = current;
    this.#app.start();
  }
}

/** The top folder of the entry inside the project (`dist` for `dist/main.js`). */
function outputDir(root: string, entry: string): string {
  const [top, ...rest] = relative(root, entry).split(sep);
  return rest.length > 0 && top !== '..' ? join(root, top!) : dirname(entry);
}

function log(message: string): void {
  process.stderr.write(`[cello dev] ${message}\n`);
}
