/** Every subcommand of the CLI, in the order `--help` lists them. */
import type { CommandModule } from 'yargs';
import { simulateCommand } from './simulate.js';
import { evaluateCommand } from './evaluate.js';
import { oracleCommand } from './oracle.js';
import { sweepCommand } from './sweep.js';
import { replayCommand } from './replay.js';
import { plotCommand } from './plot.js';
import { trainCommand } from './train.js';
import { paperCommand } from './paper.js';
import { scenariosCommand } from './scenarios.js';
import { protocolCommand } from './protocol.js';
import { workerCommand } from './worker.js';
import { transferCommand } from './transfer.js';
import { costsCommand } from './costs.js';

// Each command declares its own option type; a heterogeneous list of them can only be typed loosely
// (CommandModule is invariant in its argument type), and yargs checks each command on registration.
export const commands: CommandModule<object, any>[] = [simulateCommand, evaluateCommand, oracleCommand, sweepCommand, replayCommand, plotCommand, trainCommand, paperCommand, scenariosCommand, costsCommand, protocolCommand, transferCommand, workerCommand];
