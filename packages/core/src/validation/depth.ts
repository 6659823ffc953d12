/**
 * Whether `value` nests objects/arrays deeper than `max` levels, checked without recursion so
 * that a hostile body cannot overflow the stack here either.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > max) return true;
    for (const key in current) stack.push([(current as Record<string, unknown>)[key], depth + 1]);
  }
  return false;
}
