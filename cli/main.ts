// The `butler` command line. Each area registers its commands from its own file
// in cli/commands/, so the entry point stays a list.
import { Command, CommanderError } from 'commander';
import { registerCommandGroups } from './commands/index.js';
import { reportError } from './output.js';

const program = new Command('butler')
  .description('Data Butler command line (TypeScript). Command and option names follow daf_butler where they exist.')
  .showHelpAfterError()
  .exitOverride();

registerCommandGroups(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.exit(reportError(err));
}
