import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function versionOf(packageJson: string): string {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

/** Read once at startup, so `GET /version` stays a plain synchronous handler. */
export const versionInfo = Object.freeze({
  name: '@cello/example',
  // `..` from both src/ (tests) and dist/ (npm start) is the package folder.
  version: versionOf(join(__dirname, '..', 'package.json')),
  cello: versionOf(require.resolve('@cello/core/package.json')),
  node: process.version,
});
