import { BackgroundTasks } from '../../background/background-tasks.js';
import type { ParamKindSpec } from './param-kind.js';

/** `tasks: BackgroundTasks`: work to run after the response. */
export const backgroundParam: ParamKindSpec = {
  kind: 'background',
  boundType: BackgroundTasks,
  bind: () => ({ bind: (ctx) => ctx!.background, isAsync: false, needsContext: true }),
};
