/**
 * `iocm-gym protocol --config <file.json> [--out <dir>] [--resume] [--workers n] [--quiet] [--json]`:
 * the evaluation protocol (`experiments/protocol/run.ts`): trains each learner with every training
 * seed on the training scenarios (checkpoints chosen on the validation scenarios), evaluates every
 * agent on the test scenarios, and writes `summary.md`, `summary.json`, `scores.csv`, the models and
 * the run records. Progress is one line per event on stderr.
 */
import type { Argv, CommandModule } from 'yargs';
import { readSweepConfig } from '../sweep.js';
import { outDir, printJson, workersFlag } from './common.js';

interface ProtocolArgs { config: string; out?: string; workers?: number; resume: boolean; quiet: boolean; json: boolean }

export const protocolCommand: CommandModule<object, ProtocolArgs> = {
  command: 'protocol',
  describe: 'Train every learner with several seeds, test every agent on held-out scenarios, report IQM with bootstrap intervals (resumable)',
  builder: (y: Argv<object>) =>
    y
      .option('config', { type: 'string', demandOption: true, describe: 'protocol config JSON (see docs/experiments.md, "Evaluation protocol")' })
      .option('out', { type: 'string', describe: 'output directory (default: the config\'s "out")' })
      .option('workers', { type: 'number', describe: 'worker threads for the evaluations (default: all cores)' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue an interrupted run in --out: finished trainings and runs are kept' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress lines' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' }) as unknown as Argv<ProtocolArgs>,
  handler: async (argv) => {
    const workers = workersFlag(argv.workers);
    const { raw } = readSweepConfig(argv.config);
    const out = outDir(argv.out, raw !== null && typeof raw === 'object' ? (raw as { out?: unknown }).out : undefined);
    const { runProtocol } = await import('../protocol/run.js');
    const quiet = argv.quiet || argv.json;
    const res = await runProtocol(raw, {
      out, workers, resume: argv.resume, where: argv.config,
      command: `iocm-gym protocol --config ${argv.config} --out ${out}`,
      ...(quiet ? {} : { log: (line: string) => process.stderr.write(`${line}\n`) }),
    });
    if (argv.json) return printJson({ out: res.out, trained: res.trained, trainingsKept: res.trainingsKept, evalRuns: res.evalRuns, evalRan: res.evalRan, files: res.files, summary: res.summary });
    process.stdout.write(`${res.markdown}\nprotocol: ${res.trained} training(s) run, ${res.trainingsKept} kept; ${res.evalRuns} evaluation runs (${res.evalRan} run); wrote ${res.files.join(', ')}\n`);
  },
};
