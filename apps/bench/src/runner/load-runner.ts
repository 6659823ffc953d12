// The load runner (load.js) is built with the bench peers (tsconfig.peers.json), so it is loaded
// by path: naming it in an import would pull autocannon into the build that runs without them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { peersHint } from '../peers.js';
import type { RunLoad } from './load-types.js';

export function loadRunner(): RunLoad {
  const file = join(__dirname, 'load.js');
  if (!existsSync(file)) throw new Error(`the load runner is not built (${file}): ${peersHint}, or run with --only-instr`);
  return (require(file) as { runLoad: RunLoad }).runLoad;
}
