import { createInterface, type Interface } from 'node:readline';
import { CliError } from './cli-error.js';

/** Questions are asked only on a terminal; scripts and CI get the defaults without waiting for input. */
export function canAsk(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true;
}

/**
 * Terminal questions. Lines are read through one async iterator, which buffers: an answer
 * typed (or pasted) ahead of its question is kept, where `rl.question()` would drop it.
 */
export class Questions {
  #rl: Interface | undefined;
  #lines: AsyncIterator<string> | undefined;

  /** Asks one question; an empty answer picks `fallback`, a first letter picks its choice. */
  async ask(question: string, choices: readonly string[], fallback: string): Promise<string> {
    if (this.#lines === undefined) {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      // Ctrl-C at a prompt ends the input like Ctrl-D: the project is not created.
      rl.on('SIGINT', () => rl.close());
      this.#rl = rl;
      this.#lines = rl[Symbol.asyncIterator]();
    }
    for (;;) {
      process.stdout.write(`${question} (${choices.join('/')}) [${fallback}] `);
      const next = await this.#lines.next();
      if (next.done) {
        process.stdout.write('\n');
        throw new CliError('cancelled; nothing was written.');
      }
      const answer = next.value.trim().toLowerCase();
      if (answer === '') return fallback;
      const match = choices.find((c) => c.toLowerCase() === answer || c[0]!.toLowerCase() === answer);
      if (match) return match;
    }
  }

  close(): void {
    this.#rl?.close();
  }
}
