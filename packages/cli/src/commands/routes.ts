import { Command } from 'commander';
import { formatTable, toRow } from '../format-routes.js';
import { loadApp } from '../load-app.js';

interface RoutesOptions {
  entry: string;
  json?: boolean;
}

export function routesCommand(): Command {
  return new Command('routes')
    .description('print the route table of the built app (method, path, handler, guards, cache, rate limit)')
    .option('--entry <file>', 'the module that exports createApp() or app (or an App as default)', 'dist/app.js')
    .option('--json', 'print JSON instead of a table')
    .addHelpText('after', `
The app is built but never started: no port is opened and no startup hook runs.
Build first (npm run build): routes reads the compiled JavaScript.`)
    .action(async (options: RoutesOptions) => {
      const app = await loadApp(options.entry);
      const rows = app.routes().map(toRow);
      const out = options.json ? JSON.stringify(rows, null, 2) : formatTable(rows);
      // Exits explicitly: an app module may hold handles (a pool, a timer) that would keep it alive.
      process.stdout.write(`${out}\n`, () => process.exit(0));
    });
}
