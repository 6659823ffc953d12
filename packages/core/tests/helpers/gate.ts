/** A promise you open by hand: lets a test hold a handler, a cleanup or a task at a known point. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => { open = resolve; });
  return { promise, open };
}

/** Resolves once `check()` is true, polling; the test's own timeout bounds it. */
export async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

/** A pino-compatible destination that keeps every log line as parsed JSON. */
export function logSink(): { stream: { write(line: string): void }; lines: Array<Record<string, any>> } {
  const lines: Array<Record<string, any>> = [];
  return { lines, stream: { write: (line: string) => { lines.push(JSON.parse(line)); } } };
}
