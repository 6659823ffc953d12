// The bench's own dependencies: NestJS (on fastify and on express), what its targets use, and
// autocannon. They are not in the repository's install (the framework, the example and the tests
// need none of them); this folder has its own package.json and lockfile.
//
//   node peers/install.mjs               npm ci here, then build the NestJS targets and the load runner
//   node peers/install.mjs --if-missing  the same, but only installs when something is missing
//   node peers/install.mjs --build-only  only builds, and only when installed (npm test runs this)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const peersDir = dirname(fileURLToPath(import.meta.url));
const benchDir = dirname(peersDir);
const repoRoot = join(benchDir, '..', '..');
const mode = process.argv[2] ?? '--install';
if (!['--install', '--if-missing', '--build-only'].includes(mode)) {
  console.error(`bench peers: unknown option ${mode} (use --if-missing or --build-only)`);
  process.exit(2);
}

const { dependencies } = JSON.parse(readFileSync(join(peersDir, 'package.json'), 'utf8'));
const missing = Object.keys(dependencies).filter((name) => !existsSync(join(peersDir, 'node_modules', name, 'package.json')));

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`bench peers: \`${command} ${args.join(' ')}\` failed in ${cwd}`);
    process.exit(result.status ?? 1);
  }
}

if (mode === '--build-only' && missing.length > 0) {
  console.log('bench peers: not installed, so the NestJS targets are not built (`npm run bench:install` installs them)');
  process.exit(0);
}
if (mode === '--install' || (mode === '--if-missing' && missing.length > 0)) {
  console.log('bench peers: installing NestJS, Express and autocannon into apps/bench/peers (npm ci from its own lockfile)');
  if (Number(process.versions.node.split('.')[0]) < 22) {
    console.log('bench peers: some of NestJS\'s dependencies declare Node >= 22, so npm warns (EBADENGINE) on this Node; the bench runs them anyway');
  }
  run('npm', ['ci', '--no-audit', '--no-fund'], peersDir);
}
run(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-b', join(benchDir, 'tsconfig.peers.json')], repoRoot);
