/**
 * `iocm-gym sweep --config <file.json> [--out <dir>] [--workers n] [--resume]`: a grid of agents ×
 * scenarios × env parameters × seeds on a worker-thread pool (see `experiments/sweep.ts` for the config
 * format). Writes `<out>/sweep.json`, `<out>/jobs/<hash>.json` (one run record per job, atomically, as
 * each finishes), then `runs.csv`, `summary.csv`, `summary.md` and the figures.
 */
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { installInterruptHandlers } from '../signals.js';
import { runExperiment, summaryJson } from '../experiment.js';
import { planSweep, readSweepConfig } from '../sweep.js';
import { TIMELINES_OPTION, outDir, printJson, timelinesFlag, workersFlag } from './common.js';
import { queueFlag, queueSummary, reportFailed } from '../queue/cli.js';

interface SweepArgs { config: string; out?: string; workers?: number; queue?: string; resume: boolean; plots: boolean; timelines?: string; json: boolean; quiet: boolean }

export const sweepCommand: CommandModule<object, SweepArgs> = {
  command: 'sweep',
  describe: 'Run a grid of agents × scenarios × env parameters × seeds on a worker pool (resumable)',
  builder: (y: Argv<object>) =>
    y
      .option('config', { type: 'string', demandOption: true, describe: 'sweep config JSON (see docs/experiments.md)' })
      .option('out', { type: 'string', describe: 'output directory (default: the config\'s "out")' })
      .option('workers', { type: 'number', describe: 'worker threads (default: all cores)' })
      .option('queue', { type: 'string', describe: 'run the jobs on a Redis queue, redis://[user:password@]host[:port][/db] or rediss://… (workers: iocm-gym worker)' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue an interrupted sweep in --out: finished jobs are kept, the rest run' })
      .option('plots', { type: 'boolean', default: true, describe: 'write figures (--no-plots to skip)' })
      .option('timelines', TIMELINES_OPTION)
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' }) as unknown as Argv<SweepArgs>,
  handler: async (argv) => {
    installInterruptHandlers({ resumeHint: 'finished runs are kept; rerun the same command with --resume to continue' });
    const workers = workersFlag(argv.workers);
    if (argv.queue !== undefined) await queueFlag(argv.queue, argv.workers);
    const timelines = timelinesFlag(argv.timelines);
    const { raw, baseDir } = readSweepConfig(argv.config);
    const plan = await planSweep(raw, { where: argv.config, baseDir });
    const out = outDir(argv.out, plan.config.out);
    const res = await runExperiment(plan, { out, workers, resume: argv.resume, plots: argv.plots, timelines, quiet: argv.quiet || argv.json, title: plan.config.name ?? 'Sweep', ...(argv.queue !== undefined ? { queue: argv.queue } : {}) });
    const o = res.outcome;
    reportFailed(o);
    if (argv.json) return printJson({ out: o.out, jobs: o.jobs.length, ran: o.ran, skipped: o.skipped, wallMs: Math.round(o.wallMs), files: res.files, summary: summaryJson(res.summary) });
    if (argv.quiet) return;
    process.stdout.write(`${res.overview}\nsweep: ${o.jobs.length} jobs (${o.ran} run, ${o.skipped} already done) in ${(o.wallMs / 1000).toFixed(1)} s ${argv.queue !== undefined ? queueSummary(o) : `on ${workers} worker(s)`}; wrote ${o.out}/{sweep.json,jobs/,runs.csv,summary.csv,summary.md,timings.csv,run-info.json${argv.plots ? ',*.png,*.svg' : ''}}${res.figuresNote}\nall tables: ${join(o.out, 'summary.md')}\n`);
  },
};
