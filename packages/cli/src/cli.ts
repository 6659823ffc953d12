#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.js';
import { clientCommand } from './commands/client.js';
import { devCommand } from './commands/dev.js';
import { generateCommand } from './commands/generate.js';
import { newCommand } from './commands/new.js';
import { routesCommand } from './commands/routes.js';
import { startCommand } from './commands/start.js';
import { ownPackage } from './own-package.js';

function fail(message: string, exitCode = 1): never {
  process.stderr.write(`cello: ${message}\n`);
  process.exit(exitCode);
}

const program = new Command('cello')
  .description('Cello: create, grow, inspect and run Cello apps')
  .version(ownPackage.version)
  .showSuggestionAfterError()
  .exitOverride()
  // Commander's own messages become one `cello: ...` line that says what to do next.
  .configureOutput({ outputError: () => undefined });

for (const command of [newCommand(), generateCommand(), routesCommand(), clientCommand(), devCommand(), startCommand()]) {
  program.addCommand(command.exitOverride().configureOutput({ outputError: () => undefined }));
}

function commanderMessage(err: CommanderError): string {
  const text = err.message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*\(?(Did you mean [^)]*?)\)?$/, '. $1')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[.?]?$/, (end) => end || '.');
  if (err.code === 'commander.unknownCommand') return `${text} Run \`cello --help\` to list the commands.`;
  const command = program.commands.find((c) => process.argv.slice(2).some((a) => a === c.name() || c.aliases().includes(a)));
  return `${text} Run \`cello ${command ? `${command.name()} ` : ''}--help\` for usage.`;
}

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // --help and --version also arrive here, as successful exits.
    if (err.exitCode === 0) process.exit(0);
    fail(commanderMessage(err));
  }
  if (err instanceof CliError) fail(err.message, err.exitCode);
  process.stderr.write(`cello: unexpected error (a bug in cello, please report it):\n${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
