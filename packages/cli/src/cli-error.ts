/**
 * An error meant for the person at the terminal: `cli.ts` prints its message as one line and
 * exits with `exitCode`, without a stack. Anything else thrown is a bug and keeps its stack.
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
