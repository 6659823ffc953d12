import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { groupSignalGraceMs, type StopMessage } from '../stop-message.js';

/** How long a stopping app may drain before it is killed; the app's own shutdownTimeout is 10 s. */
const stopTimeoutMs = 15_000;

/** The app under `cello dev`: one `node <entry>` child at a time. */
export class AppProcess {
  readonly #entry: string;
  readonly #cwd: string;
  readonly #log: (message: string) => void;
  #child: ChildProcess | undefined;
  #stopping = false;

  constructor(options: { entry: string; cwd: string; log: (message: string) => void }) {
    this.#entry = options.entry;
    this.#cwd = options.cwd;
    this.#log = options.log;
  }

  get isRunning(): boolean {
    return this.#child !== undefined;
  }

  start(): void {
    const child = spawn(process.execPath, ['--enable-source-maps', join(__dirname, '..', 'entry-host.js')], {
      cwd: this.#cwd,
      env: { ...process.env, CELLO_ENTRY: this.#entry },
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    });
    this.#child = child;
    child.on('exit', (code, signal) => {
      if (this.#child === child) this.#child = undefined;
      if (!this.#stopping) {
        this.#log(`app exited (${signal ?? `code ${code}`}); it starts again after the next successful build`);
      }
    });
  }

  /**
   * Asks the app to shut down gracefully (SIGTERM through entry-host.js); SIGKILL if it is still
   * there after the timeout. `bySignal`: cello itself got SIGINT/SIGTERM, which the app may
   * have received too, so it must not get a second one.
   */
  async stop(bySignal = false): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    this.#stopping = true;
    try {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        const message: StopMessage = { cello: 'stop', signal: 'SIGTERM', afterMs: bySignal ? groupSignalGraceMs : 0 };
        if (child.connected) child.send(message);
        else child.kill('SIGTERM');
      });
    } finally {
      this.#stopping = false;
      this.#child = undefined;
    }
  }
}
