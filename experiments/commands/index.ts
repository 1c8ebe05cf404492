/** Every subcommand of the CLI, in the order `--help` lists them. */
import type { CommandModule } from 'yargs';
import { simulateCommand } from './simulate.js';

// Commands are typed loosely here because each declares its own option set.
export const commands: CommandModule<object, any>[] = [simulateCommand];
