import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { DevServer } from '../dev/dev-server.js';

interface DevOptions {
  entry: string;
  watch: string[];
}

export function devCommand(): Command {
  return new Command('dev')
    .description('build with tsc and run the app, rebuilding and restarting it on every source change')
    .option('--entry <file>', 'the built file to run', 'dist/main.js')
    .option('--watch <path...>', 'folders or files to watch (besides tsconfig.json)', ['src'])
    .addHelpText('after', `
Compiles with the project's own TypeScript (\`tsc -b\`), because it emits the decorator
metadata (emitDecoratorMetadata) that dependency injection and DTO binding read; esbuild and
tsx drop it, and injection then breaks silently. When a build fails the errors are printed
and the app from the last good build keeps running. Ctrl-C stops both.`)
    .action(async (options: DevOptions) => {
      const root = process.cwd();
      if (!existsSync(join(root, 'tsconfig.json'))) {
        throw new CliError('no tsconfig.json in this folder: run cello dev in the project folder.');
      }
      const watchPaths = [...options.watch.map((p) => resolve(root, p)), join(root, 'tsconfig.json')];
      const missing = watchPaths.find((p) => !existsSync(p));
      if (missing) throw new CliError(`${missing} does not exist: pass the source folder with --watch <path>.`);
      const server = new DevServer({ root, tsc: findTsc(root), entry: resolve(root, options.entry), watch: watchPaths });
      server.start();
      await new Promise<void>((done) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

/** The project's own tsc, so `cello dev` compiles exactly as `npm run build` does. */
function findTsc(root: string): string {
  let pkgPath: string;
  try {
    pkgPath = require.resolve('typescript/package.json', { paths: [root] });
  } catch {
    throw new CliError('TypeScript is not installed in this project: run npm install (it is a devDependency).');
  }
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { bin?: Record<string, string> | string };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.tsc;
  if (!bin) throw new CliError(`${pkgPath} declares no tsc binary: reinstall typescript.`);
  return join(dirname(pkgPath), bin);
}
