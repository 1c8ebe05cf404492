/**
 * `iocm-gym evaluate --agents a,b --scenarios s1,s2|<family> --seeds N --out <dir>`: every agent on
 * every scenario and seed, plus the oracles (dynamic and static, unless --oracle says otherwise), on the
 * worker pool; writes the run records, `runs.csv`, `summary.csv`, `summary.md` and the figures.
 */
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { installInterruptHandlers } from '../signals.js';
import { UsageError } from '../errors.js';
import { DEFAULT_ENV_ID, splitAgentSpecs, splitList } from '../envs.js';
import { runExperiment, summaryJson } from '../experiment.js';
import { planSweep } from '../sweep.js';
import { TIMELINES_OPTION, positiveInt, printJson, timelinesFlag, workersFlag } from './common.js';

interface EvaluateArgs {
  agents: string; scenarios: string; seeds?: number; out: string; env: string; fidelity?: string; reward?: string; noise?: boolean; 'max-steps'?: number;
  oracle: string; 'env-modules'?: string; workers?: number; resume: boolean; plots: boolean; timelines?: string; json: boolean; quiet: boolean;
}

/** `--oracle dynamic,static|none` → agent specs (`dynamic`/`dp`: the cost-aware oracle; `phase`: the per-phase one). */
export function oracleAgents(v: string): string[] {
  const xs = splitList(v);
  if (xs.length === 1 && xs[0] === 'none') return [];
  return xs.map((x) => {
    if (x === 'dynamic' || x === 'dp') return 'oracle';
    if (x === 'phase') return 'oracle-phase';
    if (x === 'static') return 'oracle-static';
    throw new UsageError(`--oracle must be a list of dynamic, static, or none (or phase, the per-phase oracle); got ${JSON.stringify(x)}`);
  });
}

/**
 * Seeds run when --seeds is not given: one on SideCore's fast tier without noise (`--no-noise`), whose
 * runs do not depend on the seed (docs/fluid.md §9), so that three identical runs are not shown as
 * "± 0.00"; three elsewhere (the fast tier's noise, the detailed tier's, CartPole's random initial state).
 */
export function defaultSeeds(env: string, fidelity: string | undefined, noise = true): number {
  return env.startsWith('SideCore-') && (fidelity ?? 'fast') === 'fast' && !noise ? 1 : 3;
}

export const evaluateCommand: CommandModule<object, EvaluateArgs> = {
  command: 'evaluate',
  describe: 'Evaluate agents on scenarios over seeds, against the oracles; tables and figures',
  builder: (y: Argv<object>) =>
    y
      .option('agents', { type: 'string', demandOption: true, describe: 'comma-separated agent specs (iocm, iocm:<p>=<v>, static:<x>, baseline, random, ppo:<dir>, dqn:<dir>)' })
      .option('scenarios', { type: 'string', default: 'paper', describe: 'comma-separated scenario names or paths, `all`, a shipped family `prefix*`, or a generated family `train`, `heldout`, `train:0-9`, `heldout:3`' })
      .option('seeds', { type: 'number', describe: 'seeds 0 … N−1 (default: 3; 1 on SideCore\'s fast tier with --no-noise, which does not depend on the seed)' })
      .option('noise', { type: 'boolean', describe: 'SideCore fast tier: epoch-to-epoch noise (default on; --no-noise for the exact model)' })
      .option('out', { type: 'string', demandOption: true, describe: 'output directory' })
      .option('env', { type: 'string', default: DEFAULT_ENV_ID, describe: 'environment id' })
      .option('fidelity', { type: 'string', describe: 'SideCore tier: fast | detailed (default: the env\'s)' })
      .option('reward', { type: 'string', describe: 'SideCore reward: app | bpc | app-latency' })
      .option('max-steps', { type: 'number', describe: 'cap episodes at this many steps' })
      .option('env-modules', { type: 'string', describe: 'comma-separated JS/TS modules that register more env ids (also loaded by the workers)' })
      .option('oracle', { type: 'string', default: 'dynamic,static', describe: 'oracles to add: dynamic (may switch every epoch), phase (best per-phase schedule), static, or none' })
      .option('workers', { type: 'number', describe: 'worker threads (default: all cores)' })
      .option('resume', { type: 'boolean', default: false, describe: 'keep finished runs in --out and run the rest' })
      .option('plots', { type: 'boolean', default: true, describe: 'write figures (--no-plots to skip)' })
      .option('timelines', TIMELINES_OPTION)
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' }) as unknown as Argv<EvaluateArgs>,
  handler: async (argv) => {
    installInterruptHandlers({ resumeHint: 'finished runs are kept; rerun the same command with --resume to continue' });
    const workers = workersFlag(argv.workers);
    const timelines = timelinesFlag(argv.timelines);
    const seeds = argv.seeds === undefined ? defaultSeeds(argv.env, argv.fidelity, argv.noise ?? true) : positiveInt(argv.seeds, '--seeds');
    const agents = splitAgentSpecs(argv.agents);
    if (agents.length === 0) throw new UsageError('--agents: give at least one agent spec');
    const envParams: Record<string, string | number | boolean> = {};
    if (argv.fidelity !== undefined) envParams.fidelity = argv.fidelity;
    if (argv.reward !== undefined) envParams.reward = argv.reward;
    if (argv.noise !== undefined) envParams.noise = argv.noise;
    const withScenarios = argv.env.startsWith('SideCore-');
    const raw = {
      name: 'Evaluation', env: argv.env, agents: [...agents, ...oracleAgents(argv.oracle).filter((o) => !agents.includes(o))],
      ...(withScenarios ? { scenarios: splitList(argv.scenarios) } : {}), envParams, seeds,
      envModules: splitList(argv['env-modules']),
      ...(argv['max-steps'] !== undefined ? { maxSteps: positiveInt(argv['max-steps'], '--max-steps') } : {}),
    };
    const plan = await planSweep(raw, { where: 'evaluate' });
    const res = await runExperiment(plan, { out: argv.out, workers, resume: argv.resume, plots: argv.plots, timelines, quiet: argv.quiet || argv.json, title: 'Evaluation' });
    const o = res.outcome;
    if (argv.json) return printJson({ out: o.out, runs: o.jobs.length, ran: o.ran, skipped: o.skipped, wallMs: Math.round(o.wallMs), files: res.files, summary: summaryJson(res.summary) });
    if (argv.quiet) return;
    process.stdout.write(`${res.overview}\nevaluate: ${o.jobs.length} runs (${o.ran} run, ${o.skipped} kept) in ${(o.wallMs / 1000).toFixed(1)} s on ${workers} worker(s); wrote ${res.files.length} files to ${o.out}${res.figuresNote}\nall tables: ${join(o.out, 'summary.md')}\n`);
  },
};
