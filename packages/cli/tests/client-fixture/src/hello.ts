import type { Request } from '@cello/core';

/** A functional route's handler, exported: the client takes its result type from it. */
export function hello(req: Request) {
  return { greeting: `hello ${req.params['name']}` };
}
