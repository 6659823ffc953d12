import { spawn, type ChildProcess } from 'node:child_process';

/** A server script run as a real child process, its output read line by line. */
export interface ScriptProcess {
  child: ChildProcess;
  /** Every line printed so far. */
  lines: string[];
  /** Resolves with the first line (already printed or still to come) that matches. */
  next: (match: RegExp) => Promise<string>;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Runs `node script` with `env` added; stderr lines are read too when `stderr` is true. */
export function startScript(script: string, env: Record<string, string> = {}, options: { stderr?: boolean } = {}): ScriptProcess {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ match: RegExp; resolve: (line: string) => void }> = [];
  let buffer = '';
  const take = (chunk: Buffer) => {
    buffer += chunk;
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      for (const w of waiters.splice(0)) if (w.match.test(line)) w.resolve(line); else waiters.push(w);
    }
  };
  child.stdout!.on('data', take);
  if (options.stderr) child.stderr!.on('data', take);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const next = (match: RegExp) => new Promise<string>((resolve) => {
    const found = lines.find((l) => match.test(l));
    if (found) resolve(found); else waiters.push({ match, resolve });
  });
  return { child, lines, next, exited };
}
