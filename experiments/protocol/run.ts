/**
 * The evaluation protocol, end to end (`iocm-gym protocol --config <file> --out <dir> [--resume]`):
 *
 * 1. for every env variant (grid of `envParams`), every learner and every training seed, train on the
 *    training scenarios, the checkpoint chosen on the validation scenarios (`train.ts`), into
 *    `<out>/models/<algo>-seed<s>-<hash>/`, atomically, skipped when already there;
 * 2. evaluate every agent — each learned model, the configured heuristics, baseline and static:1 … max,
 *    the oracles — on the test scenarios, as one sweep per variant into `<out>/eval/v<i>/` (job files
 *    under content hashes, resumable: the sweep machinery of `experiments/sweep.ts`);
 * 3. write `<out>/summary.md`, `<out>/summary.json` and `<out>/scores.csv` (`summary.ts`), and the figures
 *    `scores.png/.svg` (and `variants.png/.svg` with several variants; `figures.ts`).
 *
 * Nothing here looks at the test scenarios before step 2, and the config refuses a test scenario that
 * is also a training or validation one. Progress is one line per event on `log`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { EnvSpec, make } from '../../env/core/registry.js';
import { sideCoreKwargs } from '../../env/sidecore.js';
import { envSpecFor } from '../envs.js';
import { UsageError } from '../errors.js';
import { claimOutDir } from '../out-dir.js';
import { makeDirs, writeFileAtomic, writeJsonAtomic } from '../io.js';
import { WorkerPool, defaultWorkers } from '../pool.js';
import { planSweep, runSweep, type JobEntry } from '../sweep.js';
import { parseProtocolConfig, variantLabel, type ProtocolConfig } from './config.js';
import { writeChart } from '../plot/index.js';
import { scoresChartSpec, variantsChartSpec } from './figures.js';
import { summarise, summaryMarkdown, type EvalRow, type SummaryOptions, type VariantSummary } from './summary.js';
import { checkLearnerArgs, isTrained, removeStaleTrainingDirs, trainOne, trainingHash, type TrainingJob } from './train.js';
import type { BatchRunOptions } from '../batch-options.js';

export type ProtocolOptions = BatchRunOptions;

export interface ProtocolResult {
  out: string;
  trained: number;
  trainingsKept: number;
  evalRuns: number;
  evalRan: number;
  summary: VariantSummary[];
  markdown: string;
  files: string[];
}

/** The default epoch length of SideCore-v1, for runs whose kwargs leave it out. */
const DEFAULT_EPOCH_MS = sideCoreKwargs.parse({}).epochMs;

function fixedCounts(env: string, kwargs: Record<string, unknown>): string[] {
  const e = make(EnvSpec.fromJSON(envSpecFor(env, kwargs)));
  const maxIo = (e.unwrapped as unknown as { maxIoCores?: number }).maxIoCores;
  e.close();
  if (maxIo === undefined) throw new UsageError(`${env}: has no I/O-core count (maxIoCores); the protocol needs SideCore-like envs`);
  return ['baseline', ...Array.from({ length: maxIo }, (_, i) => `static:${i + 1}`)];
}

function holdsResults(out: string): boolean {
  for (const d of ['models', 'eval']) {
    const p = join(out, d);
    if (existsSync(p) && readdirSync(p).length > 0) return true;
  }
  return existsSync(join(out, 'summary.json'));
}

export async function runProtocol(raw: unknown, o: ProtocolOptions): Promise<ProtocolResult> {
  const where = o.where ?? 'protocol config';
  const log = o.log ?? ((): void => {});
  const base = parseProtocolConfig(raw, where);
  const c: ProtocolConfig = base.config;
  for (const [i, l] of c.train.learners.entries()) await checkLearnerArgs(l.algo, l.args, `${where}: train.learners.${i}.args`);
  // Every env spec is built (and so validated) before anything is written or trained.
  const trainKw = (v: Record<string, unknown>): Record<string, unknown> => ({ ...v, actionMode: c.train.actionMode, history: c.train.history });
  const specsOf = (names: string[], kw: Record<string, unknown>, field: string) => names.map((s) => {
    try {
      return envSpecFor(c.env, { ...kw, scenario: s });
    } catch (e) {
      throw new UsageError(`${where}: ${field}: ${(e as Error).message}`);
    }
  });
  const trainSpecs = base.variants.map((v) => specsOf(base.trainScenarios, trainKw(v), 'train.scenarios'));
  const valSpecs = base.variants.map((v) => specsOf(base.validationScenarios, trainKw(v), 'train.validation'));
  const fixed = c.staticCounts ? fixedCounts(c.env, { ...base.variants[0], scenario: base.testScenarios[0] }) : [];
  // IOcm paces itself (moves ≥ 28 epochs apart, 10-epoch trials) and does not read the action mask, so
  // under a dwell time the env would refuse one of its moves mid-run: say so before anything runs
  const dwell = base.variants.find((v) => Number(v.minDwellEpochs ?? 0) > 0);
  const heuristic = c.agents.find((a) => /^iocm(:|$)/.test(a));
  if (dwell && heuristic) throw new UsageError(`${where}: agents: ${heuristic} does not read the action mask, so it cannot run with minDwellEpochs ${String(dwell.minDwellEpochs)}; evaluate it in a variant without a dwell time`);
  const others = [...c.agents, ...fixed.filter((f) => !c.agents.includes(f)), ...c.oracles.filter((x) => !c.agents.includes(x))];
  // the non-learned agents are checked against the test envs now (an unknown agent fails before training)
  for (const v of base.variants) await planSweep({ name: c.name, env: c.env, scenarios: c.test.scenarios, envParams: v, agents: others, seeds: base.testSeeds }, { where });

  // the folder is locked from the first write to the last: a second protocol run into it is refused
  const claim = claimOutDir(o.out);
  try {
    return await runClaimed(claim.abs);
  } finally {
    claim.release();
  }

  async function runClaimed(out: string): Promise<ProtocolResult> {
    if (!o.resume && holdsResults(out)) throw new UsageError(`--out ${o.out}: already holds a protocol run; pass --resume to continue it, or choose another --out`);
    const modelsDir = join(out, 'models');
    makeDirs(modelsDir);
    removeStaleTrainingDirs(modelsDir);
    writeJsonAtomic(join(out, 'protocol.json'), { format: 'iocm-gym/protocol@1', config: c, trainScenarios: base.trainScenarios, validationScenarios: base.validationScenarios, testScenarios: base.testScenarios, trainSeeds: base.trainSeeds, testSeeds: base.testSeeds, variants: base.variants }, 2);

    // 1. training
    const jobs: { variant: number; job: TrainingJob; dir: string }[] = [];
    base.variants.forEach((v, vi) => {
      for (const l of c.train.learners) {
        for (const seed of base.trainSeeds) {
          const job: TrainingJob = { algo: l.algo, seed, steps: l.steps, ...(l.evalEvery !== undefined ? { evalEvery: l.evalEvery } : {}), args: l.args, env: c.env, envKwargs: trainKw(v), scenarios: base.trainScenarios, validation: base.validationScenarios };
          jobs.push({ variant: vi, job, dir: join(modelsDir, `${l.algo}-seed${seed}-${trainingHash(job)}`) });
        }
      }
    });
    let trained = 0, kept = 0;
    for (const [k, t] of jobs.entries()) {
      const what = `[${k + 1}/${jobs.length}] ${t.job.algo} seed ${t.job.seed}${variantLabel(base.variants[t.variant]!) ? ` (${variantLabel(base.variants[t.variant]!)})` : ''}`;
      if (isTrained(t.dir)) { kept++; log(`protocol: train ${what}: kept ${relative(process.cwd(), t.dir)}`); continue; }
      log(`protocol: train ${what}: ${t.job.steps} steps on ${base.trainScenarios.length} scenario(s), validation on ${base.validationScenarios.length}`);
      let lastLog = performance.now();
      const r = await trainOne(t.job, trainSpecs[t.variant]!, valSpecs[t.variant]!, t.dir, (p) => {
        const now = performance.now();
        if (p.validation !== undefined) log(`protocol: train ${what}: step ${p.globalStep}/${p.steps}, validation return ${p.validation.toFixed(2)}`);
        else if (now - lastLog > 30_000) { lastLog = now; log(`protocol: train ${what}: step ${p.globalStep}/${p.steps}`); }
      });
      trained++;
      log(`protocol: train ${what}: done in ${r.wallS.toFixed(1)} s (checkpoint of step ${r.savedStep})`);
    }

    // 2. evaluation: one sweep per variant, on one pool
    const learnedOf = new Map<string, { algo: string; seed: number }>();
    const pool = o.pool ?? new WorkerPool(o.workers ?? defaultWorkers());
    const entries: { variant: number; e: JobEntry }[] = [];
    let evalRan = 0, evalRuns = 0;
    try {
      for (const [vi, v] of base.variants.entries()) {
        const learned = jobs.filter((t) => t.variant === vi).map((t) => {
          // relative to the working directory, so that job hashes do not depend on where the checkout lives
          const spec = `${t.job.algo}:${relative(process.cwd(), t.dir) || '.'}`;
          learnedOf.set(spec, { algo: t.job.algo, seed: t.job.seed });
          return spec;
        });
        const plan = await planSweep({ name: `${c.name} ${variantLabel(v)}`.trim(), env: c.env, scenarios: c.test.scenarios, envParams: v, agents: [...learned, ...others], seeds: base.testSeeds }, { where });
        const label = variantLabel(v) || 'default';
        let shown = -1;
        const res = await runSweep(plan, {
          out: join(out, 'eval', `v${vi}`), pool, resume: true,
          onProgress: (p) => {
            const done = p.skipped + p.done, tenth = Math.floor((10 * done) / p.total);
            if (tenth !== shown) { shown = tenth; log(`protocol: evaluate ${label}: ${done}/${p.total} runs${p.skipped ? ` (${p.skipped} kept)` : ''}`); }
          },
        });
        evalRan += res.ran;
        evalRuns += res.jobs.length;
        for (const e of res.records) entries.push({ variant: vi, e });
      }
    } finally {
      if (!o.pool) await pool.close();
    }

    // 3. tables
    const rows: EvalRow[] = entries.map(({ variant, e }) => {
      const l = learnedOf.get(e.job.agent);
      const kw = e.envSpec.kwargs as Record<string, unknown>;
      return {
        variant: variantLabel(base.variants[variant]!), agent: l ? l.algo : e.job.agent, run: l ? l.seed : e.seed,
        scenario: e.job.scenario, evalSeed: e.seed, score: e.summary.score, steps: e.summary.steps,
        reconfigurations: e.summary.reconfigurations, epochMs: Number(kw.epochMs ?? DEFAULT_EPOCH_MS), switchPenalty: Number(kw.switchPenalty ?? 0),
      };
    });
    const algos = c.train.learners.map((l) => l.algo);
    const sOpts: SummaryOptions = {
      agents: [...algos, ...others], learned: algos, fixed,
      ...(c.oracles[0] !== undefined ? { normaliser: c.oracles[0] } : {}),
      ...(others.includes('iocm') ? { heuristic: 'iocm' } : {}),
      tieTolerance: c.tieTolerance, bootstrap: c.bootstrap,
    };
    const summary = summarise(rows, sOpts);
    const command = o.command ?? 'iocm-gym protocol --config <file> --out <dir>';
    const markdown = summaryMarkdown(summary, {
      ...sOpts, title: `Evaluation protocol: ${c.name}`,
      notes: [
        `Regenerate: \`${command}\` (add \`--resume\` to keep finished trainings and runs).`,
        `Tuned on: training scenarios ${base.trainScenarios.length} (${c.train.scenarios.join(', ')}), checkpoints chosen on validation scenarios ${base.validationScenarios.length} (${c.train.validation.join(', ')}). Tested on: ${base.testScenarios.length} scenario(s) (${c.test.scenarios.join(', ')}), evaluation seed(s) ${base.testSeeds.join(', ')}; never used for any choice.`,
        `Learners: ${c.train.learners.map((l) => `${l.algo} ${l.steps} steps${Object.keys(l.args).length ? ` with ${JSON.stringify(l.args)}` : ''}`).join('; ')}; training seeds ${base.trainSeeds.join(', ')} (${c.train.actionMode} actions, history ${c.train.history}). A learned agent's runs are its training seeds; every other agent's runs are the evaluation seeds.`,
        ...(base.trainSeeds.length < 3 ? [`**Fewer than 3 training seeds (${base.trainSeeds.length}): the intervals say little; this is not a result.**`] : []),
        `Columns: IQM and mean of the normalised score over runs × scenarios; *mean vs best fixed*: per scenario the agent's score over the best fixed count in hindsight (max over ${fixed.join(', ') || 'none'}), averaged; W/T/L: per scenario (mean over runs), win / tie / loss; switches/min: changes of the I/O-core count per simulated minute; reward/step before penalty: the application reward without the switch penalty. Models: \`models/\`; runs: \`eval/v<i>/jobs/\` (replay with \`iocm-gym replay\`).`,
      ],
    });
    const files = [join(out, 'summary.md'), join(out, 'summary.json'), join(out, 'scores.csv')];
    writeFileAtomic(files[0]!, markdown);
    writeJsonAtomic(files[1]!, { format: 'iocm-gym/protocol-summary@1', command, variants: summary }, 2);
    writeFileAtomic(files[2]!, stringify(rows, { header: true, columns: ['variant', 'agent', 'run', 'scenario', 'evalSeed', 'score', 'steps', 'reconfigurations', 'epochMs', 'switchPenalty'] }));
    // figures last: the tables above are complete even if rendering fails
    await writeChart(scoresChartSpec(summary, `${c.name}: normalised scores on ${base.testScenarios.length} test scenarios`), join(out, 'scores.png'), { svgPath: join(out, 'scores.svg') });
    files.push(join(out, 'scores.png'), join(out, 'scores.svg'));
    if (summary.length > 1) {
      await writeChart(variantsChartSpec(summary, `${c.name}: across variants`), join(out, 'variants.png'), { svgPath: join(out, 'variants.svg') });
      files.push(join(out, 'variants.png'), join(out, 'variants.svg'));
    }
    return { out, trained, trainingsKept: kept, evalRuns, evalRan, summary, markdown, files };
  }
}
