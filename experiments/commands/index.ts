/** Every subcommand of the CLI, in the order `--help` lists them. */
import type { CommandModule } from 'yargs';
import { simulateCommand } from './simulate.js';

// Each command declares its own option type; a heterogeneous list of them can only be typed loosely
// (CommandModule is invariant in its argument type), and yargs checks each command on registration.
export const commands: CommandModule<object, any>[] = [simulateCommand];
