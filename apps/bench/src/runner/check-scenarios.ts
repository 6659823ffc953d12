// Correctness before timing: a target that answers fast but wrong must not get a number.
import { isDeepStrictEqual } from 'node:util';
import type { Scenario, ScenarioRequest } from '../scenarios.js';
import { send } from './http-request.js';

function describe(req: ScenarioRequest): string {
  return `${req.method} ${req.path}`;
}

async function expectAnswer(port: number, req: ScenarioRequest, status: number, body: unknown, why: string): Promise<string | null> {
  const answer = await send(port, req);
  if (answer.status !== status) return `${why}: ${describe(req)} answered ${answer.status}, expected ${status}: ${answer.body.slice(0, 300)}`;
  if (!String(answer.headers['content-type']).startsWith('application/json')) {
    return `${why}: ${describe(req)} has content-type ${answer.headers['content-type']}, expected application/json`;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return `${why}: ${describe(req)} answered invalid JSON: ${answer.body.slice(0, 300)}`;
  }
  // Round-trip the expectation so `undefined` fields and class instances compare as JSON does.
  const expected = JSON.parse(JSON.stringify(body));
  if (!isDeepStrictEqual(parsed, expected)) return `${why}: ${describe(req)} answered ${answer.body.slice(0, 300)}, expected ${JSON.stringify(expected)}`;
  return null;
}

/** The problems found, empty when the target serves the scenario correctly. */
export async function checkScenario(port: number, scenario: Scenario): Promise<string[]> {
  const problems: string[] = [];
  // Twice: the second answer of a cached route is the hit that gets timed.
  for (const why of ['first request', 'second request']) {
    const p = await expectAnswer(port, scenario.request, scenario.expect.status, scenario.expect.body, why);
    if (p) problems.push(p);
  }
  for (const also of scenario.also) {
    const p = await expectAnswer(port, also.request, also.status, also.body, also.why);
    if (p) problems.push(p);
  }
  for (const reject of scenario.rejects) {
    const answer = await send(port, reject.request);
    if (!reject.statuses.includes(answer.status)) {
      problems.push(`${reject.why}: ${describe(reject.request)} answered ${answer.status}, expected ${reject.statuses.join(' or ')}`);
    }
  }
  return problems;
}
