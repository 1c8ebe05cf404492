/**
 * `iocm-gym paper` (what `npm start` runs): the headline comparison of the IOcm paper's claim,
 * "performance comparable to a side-core system tuned by an oracle", on `paper`, `mixed` and the
 * held-out generated family (DEFAULT_SCENARIOS), fast tier: iocm vs baseline vs every static I/O-core count vs the oracles (static per phase,
 * per-phase schedule, cost-aware dynamic), plus the learned agents when trained models exist in `results/models/{ppo,dqn}`. Writes
 * `results/paper/`: `summary.md` (the table, with how to regenerate it), `summary.csv`, `runs.csv`,
 * `relative.{png,svg}`, `scores.{png,svg}`, `timeline-<scenario>.{png,svg}` and the run records under
 * `jobs/`.
 */
import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { installInterruptHandlers } from '../signals.js';
import { EnvSpec, make } from '../../env/core/registry.js';
import { DEFAULT_ENV_ID, envSpecFor, expandScenarios, splitList } from '../envs.js';
import { UsageError } from '../errors.js';
import { runExperiment, summaryJson } from '../experiment.js';
import { packageRoot } from '../paths.js';
import { planSweep, type JobEntry } from '../sweep.js';
import { TIMELINES_OPTION, positiveInt, printJson, timelinesFlag, workersFlag } from './common.js';

interface PaperArgs { scenarios: string; seeds?: number; fidelity: string; out: string; models: string; workers?: number; resume: boolean; plots: boolean; timelines?: string; quiet: boolean; json: boolean }

function oracleNotes(records: readonly JobEntry[]): string[] {
  const lines: string[] = [];
  for (const r of records) {
    const d = r.agent.describe as { oracle?: string; spaceSize?: number; space?: string; evaluations?: { phaseSims: number; steps: number }; schedule?: number[]; phases?: string[]; dp?: { bound: number } };
    if (!d.oracle) continue;
    const sched = (d.schedule ?? []).map((c, i) => `${d.phases?.[i] ?? i}=${c}`).join(' ');
    lines.push(`* ${d.oracle} oracle, ${r.job.scenario} seed ${r.seed}: ${d.space}; ${d.evaluations?.steps.toLocaleString('en-US')} env steps searched; schedule ${sched}; score ${r.summary.score.toFixed(3)}${d.dp ? `; upper bound on the optimum ${d.dp.bound.toFixed(3)} (gap ${(((d.dp.bound - r.summary.score) / d.dp.bound) * 100).toFixed(4)} %)` : ''}`);
  }
  return lines;
}

/**
 * The designed dynamic scenario, the mixed one, and the ten held-out generated scenarios: no agent was
 * tuned or trained on the held-out family, so it is a fair test for the heuristic and the learned agents.
 */
export const DEFAULT_SCENARIOS = 'paper,mixed,heldout';

export const paperCommand: CommandModule<object, PaperArgs> = {
  command: 'paper',
  describe: 'Reproduce the headline comparison (iocm vs baseline vs static counts vs oracles) into results/paper',
  builder: (y: Argv<object>) =>
    y
      .option('scenarios', { type: 'string', default: DEFAULT_SCENARIOS, describe: 'comma-separated scenario names or paths, `all`, a shipped family `prefix*`, or a generated family `train`, `heldout` (= heldout:0-9), `train:0-9`, `heldout:3`' })
      .option('seeds', { type: 'number', describe: 'seeds 0 … N−1 (default: 3; both tiers have epoch-to-epoch noise)' })
      .option('fidelity', { type: 'string', default: 'fast', describe: 'SideCore tier: fast | detailed' })
      .option('out', { type: 'string', describe: 'output directory (default: results/paper in the package)' })
      .option('models', { type: 'string', describe: 'folder of trained models (ppo/, dqn/) (default: results/models in the package)' })
      .option('workers', { type: 'number', describe: 'worker threads (default: all cores)' })
      .option('resume', { type: 'boolean', default: false, describe: 'keep finished runs in the output and run the rest (default: recompute everything)' })
      .option('plots', { type: 'boolean', default: true, describe: 'write figures (--no-plots to skip)' })
      .option('timelines', TIMELINES_OPTION)
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' }) as unknown as Argv<PaperArgs>,
  handler: async (argv) => {
    installInterruptHandlers({ resumeHint: 'finished runs are kept; rerun the same command with --resume to continue' });
    const workers = workersFlag(argv.workers);
    const timelines = timelinesFlag(argv.timelines);
    const seeds = positiveInt(argv.seeds ?? 3, '--seeds');
    const scenarios = expandScenarios(splitList(argv.scenarios));
    const out = argv.out ?? join(packageRoot(), 'results', 'paper');
    const models = argv.models ?? join(packageRoot(), 'results', 'models');
    // Every static count of the env: 1 … maxIoCores (baseline is static:0).
    const env = make(EnvSpec.fromJSON(envSpecFor(DEFAULT_ENV_ID, { scenario: scenarios[0] ?? 'paper', fidelity: argv.fidelity })));
    const maxIo = (env.unwrapped as unknown as { maxIoCores: number }).maxIoCores;
    env.close();
    // The default folder may lack models; a --models the user names must hold some (a bad one is checked by planSweep).
    if (argv.models !== undefined && !(existsSync(models) && statSync(models).isDirectory())) throw new UsageError(`--models ${argv.models}: no such directory`);
    const learned = ['ppo', 'dqn'].filter((a) => existsSync(join(models, a, 'agent.json')) || (argv.models !== undefined && existsSync(join(models, a))))
      // Relative to the working directory (`results/models/ppo` under `npm start`), so that labels and
      // job hashes do not depend on where the checkout lives.
      .map((a) => `${a}:${relative(process.cwd(), join(models, a)) || '.'}`);
    if (argv.models !== undefined && learned.length === 0) throw new UsageError(`--models ${argv.models}: holds neither ppo/ nor dqn/ (model folders saved by iocm-gym train)`);
    const agents = ['iocm', 'baseline', ...Array.from({ length: maxIo }, (_, i) => `static:${i + 1}`), ...learned, 'oracle-static', 'oracle-phase', 'oracle'];
    const plan = await planSweep({ name: 'paper', scenarios, envParams: { fidelity: argv.fidelity }, agents, seeds }, { where: 'paper' });
    const t0 = performance.now();
    const cmd = `iocm-gym paper${argv.seeds !== undefined ? ` --seeds ${seeds}` : ''}${argv.fidelity !== 'fast' ? ` --fidelity ${argv.fidelity}` : ''}${argv.scenarios !== DEFAULT_SCENARIOS ? ` --scenarios ${argv.scenarios}` : ''}`;
    const noise = argv.fidelity === 'fast'
      ? ' The fast tier has the detailed tier\'s measured epoch-to-epoch noise (docs/fluid.md §9): seeds differ.'
      : '';
    const res = await runExperiment(plan, {
      out, workers, resume: argv.resume, overwrite: true, plots: argv.plots, timelines, quiet: argv.quiet || argv.json,
      title: 'IOcm vs the oracle: the headline comparison',
      notes: [
        `Regenerate: \`npm start\` (= \`npm run build && ${cmd}\`), ${seeds} seed(s), SideCore-v1 ${argv.fidelity} tier, scenario(s) ${scenarios.join(', ')}.${noise} Every row's runs are in \`jobs/\` and replay with \`iocm-gym replay jobs/<hash>.json\`; \`runs.csv\` maps rows to files. Figures: \`relative.png\` (vs the oracle, all scenarios), \`scores.png\`, \`timeline-*.png\` (\`iocm-gym plot ${relative(process.cwd(), out) || '.'}\`).`,
        `Agents: iocm (IOcm heuristic, published defaults), baseline (static:0, vhost threads), static:1…${maxIo} (side-core with x I/O cores), ${learned.length ? learned.join(', ') + ' (trained models), ' : 'no trained models in results/models, '}oracle-static (per phase the best static count, switched at phase starts), oracle-phase (best per-phase schedule over all ${maxIo + 1}^phases, switching costs included), oracle (cost-aware dynamic oracle: the best schedule that may change the count at every epoch, switching costs included, exact by dynamic programming; its upper bound is in the oracle searches below).`,
      ],
    });
    const o = res.outcome;
    // Oracle search statistics, appended to summary.md (from the oracle run records).
    const notes = oracleNotes(o.records);
    if (notes.length) {
      const { writeFileAtomic } = await import('../io.js');
      // search and wall times are in timings.csv and run-info.json (volatile.ts), not here
      writeFileAtomic(join(o.out, 'summary.md'), `${res.markdown}\n## Oracle searches\n\n${notes.join('\n')}\n`);
    }
    if (argv.json) return printJson({ out: o.out, runs: o.jobs.length, ran: o.ran, skipped: o.skipped, wallMs: Math.round(o.wallMs), files: res.files, summary: summaryJson(res.summary) });
    if (argv.quiet) return;
    process.stdout.write(`${res.overview}\npaper: ${o.jobs.length} runs (${o.ran} run, ${o.skipped} kept) in ${((performance.now() - t0) / 1000).toFixed(1)} s on ${workers} worker(s); wrote ${o.out}${res.figuresNote}\nall tables: ${join(o.out, 'summary.md')}\n`);
  },
};
