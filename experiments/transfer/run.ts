/**
 * The transfer study (`iocm-gym transfer --config <file> --out <dir> [--resume]`): do the fast tier's
 * results hold on the detailed tier? For every scenario and seed:
 *
 * 1. the fast tier (`<out>/fast/`, one sweep): every learned model, the configured agents, `baseline`
 *    and `static:1` … maxIoCores, and the cost-aware oracle (`oracle`);
 * 2. the detailed tier (`<out>/detailed/`, one sweep): the learned models and configured agents again;
 *    *best-fixed*, the fixed count that scored best on the FAST tier for that scenario and seed, run as
 *    that fixed count; *oracle-schedule*, the fast-tier oracle's action log replayed open-loop
 *    (`schedule:<count>x<epochs>,…`);
 * 3. `<out>/summary.md`, `summary.json`, `scores.csv`: every score divided by the fast-tier oracle's
 *    return on the same scenario and seed (`summary.ts`).
 *
 * Both sweeps are resumable (job files under content hashes, `experiments/sweep.ts`); the detailed runs
 * are the slow part. A learned algorithm's i-th seed uses its i-th model by training seed (`models.ts`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { EnvSpec, make } from '../../env/core/registry.js';
import { formatSchedule } from '../../agents/schedule.js';
import { envSpecFor } from '../envs.js';
import { UsageError } from '../errors.js';
import { ensureWritableDir, writeFileAtomic, writeJsonAtomic } from '../io.js';
import { WorkerPool, defaultWorkers } from '../pool.js';
import { jobHash, planSweep, readJob, runSweep, scenarioLabel, sweepConfigSchema, type Job, type JobEntry, type SweepPlan } from '../sweep.js';
import { BEST_FIXED, ORACLE_SCHEDULE, parseTransferConfig, type TransferConfig } from './config.js';
import { findModels, modelForRun, type FoundModel } from './models.js';
import { summariseTransfer, transferMarkdown, type TransferRow, type TransferSummary } from './summary.js';
import type { BatchRunOptions } from '../batch-options.js';

export type TransferOptions = BatchRunOptions;

export interface TransferResult {
  out: string;
  runs: { fast: number; detailed: number };
  ran: { fast: number; detailed: number };
  summary: TransferSummary;
  markdown: string;
  files: string[];
}

/** The job-input limit on agent specs (`job-file.ts`): a longer schedule would never be found on --resume. */
const MAX_SPEC_CHARS = 4096;
const ORACLE = 'oracle';
const MANIFEST = 'transfer.json';
const OWN_ENTRIES = new Set([MANIFEST, 'fast', 'detailed', 'summary.md', 'summary.json', 'scores.csv']);

/** `baseline`, `static:1` … the env's maxIoCores. */
function fixedCounts(env: string, kwargs: Record<string, unknown>): string[] {
  const e = make(EnvSpec.fromJSON(envSpecFor(env, kwargs)));
  const maxIo = (e.unwrapped as unknown as { maxIoCores?: number }).maxIoCores;
  e.close();
  if (maxIo === undefined) throw new UsageError(`${env}: has no I/O-core count (maxIoCores); the transfer study needs SideCore-like envs`);
  return ['baseline', ...Array.from({ length: maxIo }, (_, i) => `static:${i + 1}`)];
}

/** Refuses a folder that is neither new, empty nor a transfer study's; and an earlier study without --resume. */
function checkOut(out: string, shown: string, resume: boolean): void {
  const names = readdirSync(out).filter((n) => !(n.startsWith('.') && (n.endsWith('.tmp') || n.endsWith('.lock'))));
  if (names.length === 0) return;
  if (!names.includes(MANIFEST) || names.some((n) => !OWN_ENTRIES.has(n))) {
    throw new UsageError(`--out ${shown}: not empty and not a transfer study of iocm-gym (holds ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}); choose a new or empty folder`);
  }
  if (!resume) throw new UsageError(`--out ${shown}: already holds a transfer study; pass --resume to continue it, or choose another --out`);
}

/** One sweep plan from several (one per scenario: each has its own fixed counts). */
function mergePlans(plans: SweepPlan[], name: string, agents: string[], c: TransferConfig, seeds: number[], envParams: Record<string, unknown>): SweepPlan {
  const config = sweepConfigSchema.parse({ name, env: c.env, scenarios: c.scenarios, envParams, agents, seeds });
  return { config, jobs: plans.flatMap((p) => p.jobs), envModules: [] };
}

/** Keeps a learned model's job only for the seed it is matched with. */
function learnedFilter(models: FoundModel[], seeds: number[]): (j: Job) => boolean {
  const byAlgo = new Map<string, FoundModel[]>();
  for (const m of models) byAlgo.set(m.algo, [...(byAlgo.get(m.algo) ?? []), m]);
  const specs = new Set(models.map((m) => m.spec));
  return (j) => {
    if (!specs.has(j.agent)) return true;
    const algo = j.agent.slice(0, j.agent.indexOf(':'));
    return modelForRun(byAlgo.get(algo)!, seeds.indexOf(j.seed)).spec === j.agent;
  };
}

export async function runTransfer(raw: unknown, o: TransferOptions): Promise<TransferResult> {
  const where = o.where ?? 'transfer config';
  const log = o.log ?? ((): void => {});
  const { config: c, scenarios, seeds } = parseTransferConfig(raw, where);
  const models = findModels(c.models, where);
  const learnedSpecs = models.map((m) => m.spec);
  const fastParams = { ...c.envParams, fidelity: 'fast' };
  const detailedParams = { ...c.envParams, fidelity: 'detailed' };
  const fixedOf = new Map<string, string[]>();
  for (const sc of scenarios) {
    try {
      fixedOf.set(sc, fixedCounts(c.env, { ...fastParams, scenario: sc }));
    } catch (e) {
      throw new UsageError(`${where}: scenarios: ${sc}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  // Every env spec and agent is checked against both tiers before anything is written.
  const keep = learnedFilter(models, seeds);
  const fastPlans: SweepPlan[] = [], detailedPlans: SweepPlan[] = [];
  for (const sc of scenarios) {
    const fixed = fixedOf.get(sc)!;
    const fp = await planSweep({ name: c.name, env: c.env, scenarios: [sc], envParams: fastParams, agents: [...learnedSpecs, ...c.agents, ...fixed.filter((f) => !c.agents.includes(f)), ORACLE], seeds }, { where });
    const dp = await planSweep({ name: c.name, env: c.env, scenarios: [sc], envParams: detailedParams, agents: [...learnedSpecs, ...c.agents, ...fixed.filter((f) => !c.agents.includes(f))], seeds }, { where });
    fastPlans.push({ ...fp, jobs: fp.jobs.filter(keep) });
    detailedPlans.push({ ...dp, jobs: dp.jobs.filter(keep) });
  }
  const allFixed = [...new Set([...fixedOf.values()].flat())];

  const shown = o.out;
  const out = ensureWritableDir(o.out);
  checkOut(out, shown, o.resume ?? false);
  writeJsonAtomic(join(out, MANIFEST), { format: 'iocm-gym/transfer@1', config: c, scenarios, seeds, models }, 2);

  const pool = o.pool ?? new WorkerPool(o.workers ?? defaultWorkers());
  const progress = (tier: string) => {
    let shownTenth = -1;
    return (p: { total: number; skipped: number; done: number }): void => {
      const done = p.skipped + p.done, tenth = Math.floor((10 * done) / Math.max(1, p.total));
      if (tenth !== shownTenth) { shownTenth = tenth; log(`transfer: ${tier} tier: ${done}/${p.total} runs${p.skipped ? ` (${p.skipped} kept)` : ''}`); }
    };
  };
  let fastRes, detailedRes;
  try {
    // 1. the fast tier
    const fastPlan = mergePlans(fastPlans, `${c.name} fast`, [...learnedSpecs, ...c.agents, ...allFixed, ORACLE], c, seeds, fastParams);
    log(`transfer: fast tier: ${fastPlan.jobs.length} runs (${scenarios.length} scenario(s) × ${seeds.length} seed(s))`);
    fastRes = await runSweep(fastPlan, { out: join(out, 'fast'), pool, resume: true, onProgress: progress('fast') });
    const fastBy = new Map<string, JobEntry>();
    fastRes.records.forEach((e) => fastBy.set(`${e.job.agent}\0${e.job.scenario}\0${e.seed}`, e));
    const fastOf = (agent: string, scenario: string, seed: number): JobEntry => {
      const e = fastBy.get(`${agent}\0${scenario}\0${seed}`);
      if (!e) throw new Error(`transfer: no fast-tier run of ${agent} on ${scenario} seed ${seed}`);
      return e;
    };

    // 2. the detailed tier: best-fixed and the oracle's schedule depend on the fast tier's runs
    const bestFixedOf = new Map<string, string>();
    const jobs: Job[] = [];
    for (const [k, sc] of scenarios.entries()) {
      const label = scenarioLabel(sc), fixed = fixedOf.get(sc)!;
      const base = detailedPlans[k]!.jobs[0]!;
      for (const seed of seeds) {
        // ties go to the first in the order baseline, static:1, …
        let best = fixed[0]!;
        for (const f of fixed) if (fastOf(f, label, seed).summary.score > fastOf(best, label, seed).summary.score) best = f;
        bestFixedOf.set(`${label}\0${seed}`, best);
      }
      jobs.push(...detailedPlans[k]!.jobs.filter((j) => !fixed.includes(j.agent) || c.agents.includes(j.agent) || bestFixedOf.get(`${label}\0${j.seed}`) === j.agent));
      for (const seed of seeds) {
        const oracleJob = readJob(join(out, 'fast'), fastOf(ORACLE, label, seed).job.hash);
        if (!oracleJob) throw new Error(`transfer: the fast-tier oracle's job file of ${label} seed ${seed} is missing`);
        const agent = `schedule:${formatSchedule(oracleJob.actions)}`;
        if (agent.length > MAX_SPEC_CHARS) throw new Error(`transfer: the fast-tier oracle's schedule on ${label} seed ${seed} changes the count ${oracleJob.summary.reconfigurations} times; its spec (${agent.length} characters) is longer than a job may name (${MAX_SPEC_CHARS})`);
        const j = { envSpec: base.envSpec, agent, seed };
        jobs.push({ ...j, hash: jobHash(j), scenario: label, variant: base.variant });
      }
    }
    const detailedPlan: SweepPlan = { ...mergePlans(detailedPlans, `${c.name} detailed`, [...learnedSpecs, ...c.agents, ...allFixed, 'schedule:<fast-tier oracle>'], c, seeds, detailedParams), jobs };
    log(`transfer: detailed tier: ${jobs.length} runs`);
    detailedRes = await runSweep(detailedPlan, { out: join(out, 'detailed'), pool, resume: true, onProgress: progress('detailed') });

    // 3. tables
    const detailedBy = new Map<string, JobEntry>();
    detailedRes.records.forEach((e) => detailedBy.set(`${e.job.agent}\0${e.job.scenario}\0${e.seed}`, e));
    const algoOf = new Map(models.map((m) => [m.spec, m]));
    const rows: TransferRow[] = [];
    for (const sc of scenarios) {
      const label = scenarioLabel(sc);
      for (const seed of seeds) {
        const oracle = fastOf(ORACLE, label, seed);
        const add = (agent: string, ran: string, fast: JobEntry, detailed: JobEntry): void => {
          rows.push({
            agent, scenario: label, seed, ran, fast: fast.summary.score, detailed: detailed.summary.score, oracleFast: oracle.summary.score,
            reconfigurationsFast: fast.summary.reconfigurations, reconfigurationsDetailed: detailed.summary.reconfigurations,
          });
        };
        const detailedOf = (agent: string): JobEntry => {
          const e = detailedBy.get(`${agent}\0${label}\0${seed}`);
          if (!e) throw new Error(`transfer: no detailed-tier run of ${agent.slice(0, 40)} on ${label} seed ${seed}`);
          return e;
        };
        for (const spec of learnedSpecs) {
          const e = detailedBy.get(`${spec}\0${label}\0${seed}`);
          if (e) add(algoOf.get(spec)!.algo, spec, fastOf(spec, label, seed), e);
        }
        for (const a of c.agents) add(a, a, fastOf(a, label, seed), detailedOf(a));
        const best = bestFixedOf.get(`${label}\0${seed}`)!;
        add(BEST_FIXED, best, fastOf(best, label, seed), detailedOf(best));
        const sched = [...detailedBy.keys()].find((k) => k.startsWith('schedule:') && k.endsWith(`\0${label}\0${seed}`))!;
        add(ORACLE_SCHEDULE, `oracle schedule, ${oracle.summary.reconfigurations} change(s)`, oracle, detailedBy.get(sched)!);
      }
    }
    const algos = [...new Set(models.map((m) => m.algo))];
    const agents = [...algos, ...c.agents, BEST_FIXED, ORACLE_SCHEDULE];
    const summary = summariseTransfer(rows, { agents, bootstrap: c.bootstrap, tieTolerance: c.tieTolerance });
    const command = o.command ?? 'iocm-gym transfer --config <file> --out <dir>';
    const pairing = models.length
      ? `Learned models: ${algos.map((a) => `${a}: ${models.filter((m) => m.algo === a).map((m) => `\`${m.spec.slice(a.length + 1)}\` (training seed ${m.trainSeed})`).join(', ')}`).join('; ')}. The i-th evaluation seed uses the i-th model of each algorithm by training seed (wrapping around when there are fewer models than seeds), so a learned agent's cells mix the spread over training seeds with the spread over evaluation seeds.`
      : 'No learned models.';
    const markdown = transferMarkdown(summary, {
      title: `Transfer from the fast tier to the detailed tier: ${c.name}`, tieTolerance: c.tieTolerance,
      notes: [
        `Regenerate: \`${command}\` (add \`--resume\` to keep finished runs).`,
        `Scenarios: ${scenarios.map(scenarioLabel).join(', ')}; seeds ${seeds.join(', ')}; env ${c.env}${Object.keys(c.envParams).length ? ` with ${JSON.stringify(c.envParams)}` : ''}, \`fidelity: fast\` and \`fidelity: detailed\`.`,
        `Every score (the episode return) is divided by the return of the fast tier's cost-aware oracle (\`oracle\`) on the same scenario and seed, on both tiers: 1.000 on the fast tier is the oracle; on the detailed tier the oracle is not searched (an exhaustive search there is out of reach), so a detailed score above 1 is possible.`,
        `*${BEST_FIXED}*: per scenario and seed the fixed count (${allFixed.join(', ')}) with the best return **on the fast tier**, then run as that fixed count on both tiers (column \`ran\` of scores.csv). *${ORACLE_SCHEDULE}*: the fast-tier oracle's action log, replayed open-loop on the detailed tier (agent \`schedule:<count>x<epochs>,…\`); on the fast tier it is the oracle itself.`,
        pairing,
        'Intervals: a bootstrap 95 % interval of the mean over the scenario × seed cells (cells resampled with replacement); *min … max* is over the cells. Runs: `fast/jobs/` and `detailed/jobs/` (replay with `iocm-gym replay`).',
      ],
    });
    const files = [join(out, 'summary.md'), join(out, 'summary.json'), join(out, 'scores.csv')];
    writeFileAtomic(files[0]!, markdown);
    writeJsonAtomic(files[1]!, { format: 'iocm-gym/transfer-summary@1', command, summary }, 2);
    writeFileAtomic(files[2]!, stringify(rows.map((r) => ({ ...r, fastNormalised: r.fast / r.oracleFast, detailedNormalised: r.detailed / r.oracleFast })), {
      header: true,
      columns: ['agent', 'scenario', 'seed', 'ran', 'fast', 'detailed', 'oracleFast', 'fastNormalised', 'detailedNormalised', 'reconfigurationsFast', 'reconfigurationsDetailed'],
    }));
    return {
      out, runs: { fast: fastRes.jobs.length, detailed: detailedRes.jobs.length }, ran: { fast: fastRes.ran, detailed: detailedRes.ran },
      summary, markdown, files,
    };
  } finally {
    if (!o.pool) await pool.close();
  }
}
