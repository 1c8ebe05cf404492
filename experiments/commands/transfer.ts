/**
 * `iocm-gym transfer --config <file.json> [--out <dir>] [--resume] [--workers n] [--quiet] [--json]`:
 * the transfer study (`experiments/transfer/run.ts`): every agent on the fast and on the detailed tier,
 * the fast tier's best fixed count and the fast-tier oracle's schedule replayed on the detailed tier,
 * scores relative to the fast-tier oracle; writes `summary.md`, `summary.json`, `scores.csv` and the
 * runs of both tiers. Progress is one line per event on stderr.
 */
import type { Argv, CommandModule } from 'yargs';
import { installInterruptHandlers } from '../signals.js';
import { readSweepConfig } from '../sweep.js';
import { outDir, printJson, workersFlag } from './common.js';

interface TransferArgs { config: string; out?: string; workers?: number; resume: boolean; quiet: boolean; json: boolean }

export const transferCommand: CommandModule<object, TransferArgs> = {
  command: 'transfer',
  describe: 'Do the fast tier\'s results hold on the detailed tier? Agents, the best fixed count and the fast-tier oracle\'s schedule on both tiers (resumable)',
  builder: (y: Argv<object>) =>
    y
      .option('config', { type: 'string', demandOption: true, describe: 'transfer config JSON (see docs/experiments.md, "Transfer")' })
      .option('out', { type: 'string', describe: 'output directory (default: the config\'s "out")' })
      .option('workers', { type: 'number', describe: 'worker threads (default: all cores)' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue an interrupted study in --out: finished runs are kept' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress lines' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' }) as unknown as Argv<TransferArgs>,
  handler: async (argv) => {
    installInterruptHandlers({ resumeHint: 'finished runs are kept; rerun the same command with --resume to continue' });
    const workers = workersFlag(argv.workers);
    const { raw } = readSweepConfig(argv.config);
    const out = outDir(argv.out, raw !== null && typeof raw === 'object' ? (raw as { out?: unknown }).out : undefined);
    const { runTransfer } = await import('../transfer/run.js');
    const quiet = argv.quiet || argv.json;
    const res = await runTransfer(raw, {
      out, workers, resume: argv.resume, where: argv.config,
      command: `iocm-gym transfer --config ${argv.config} --out ${out}`,
      ...(quiet ? {} : { log: (line: string) => process.stderr.write(`${line}\n`) }),
    });
    if (argv.json) return printJson({ out: res.out, runs: res.runs, ran: res.ran, files: res.files, summary: res.summary });
    process.stdout.write(`${res.markdown}\ntransfer: ${res.runs.fast} fast-tier runs (${res.ran.fast} run), ${res.runs.detailed} detailed-tier runs (${res.ran.detailed} run); wrote ${res.files.join(', ')}\n`);
  },
};
