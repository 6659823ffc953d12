import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @cello/cli's own package.json; core and cli are released together, so its version is core's too. */
export const ownPackage = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { name: string; version: string };
