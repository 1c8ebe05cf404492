/**
 * Sweeps: a grid of agents × scenarios × env parameters × seeds run on the worker pool, each finished
 * job written atomically as `<out>/jobs/<hash>.json` (its run record plus its inputs), where the hash is
 * a content hash (SHA-256 of the canonical JSON) of the job's inputs: the env spec, the agent spec, the
 * seed and the step limit. An interrupted sweep resumes with `--resume`: jobs whose file is there are
 * not run again, and nothing finished is lost; the tables are built from the job files in job order,
 * so they equal a sequential run's. `evaluate` and `paper` are sweeps too.
 *
 * Config file (JSON):
 * ```json
 * { "env": "SideCore-v1",                       // optional, default SideCore-v1
 *   "scenarios": ["paper", "elvis-rr-*", "heldout:0-9"],   // names, paths, `all`, `prefix*` families,
 *                                               // generated families (`train`, `heldout:3`, `train:0-9`)
 *   "envParams": { "fidelity": "fast", "reward": ["app", "bpc"] },   // a list is a grid axis
 *   "agents": ["iocm", "static:2", "oracle", { "spec": "iocm", "params": { "trialEpochs": [5, 10] } }],
 *   "seeds": 3,                                 // or a list of seeds, e.g. [0, 7, 11]
 *   "maxSteps": 500,                            // optional cap on episode length
 *   "envModules": ["./my-env.js"],              // optional: modules that register more env ids
 *   "out": "results/sweeps/x" }                 // optional; --out wins
 * ```
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { EnvSpecJSON } from '../env/core/registry.js';
import { UsageError, parseConfig } from './errors.js';
import { DEFAULT_ENV_ID, envSpecFor, expandScenarios } from './envs.js';
import { claimOutDir } from './out-dir.js';
import { cleanTempsOnInterrupt, makeDirs, removeStaleTemps, writeJsonAtomic } from './io.js';
import { jobEntry, jobInputsSchema, type JobEntry, type JobFile } from './job-file.js';
import { validateRunRecord } from './record.js';
import { checkAgentFits, isOracleSpec, newFitCache, provenance } from './runner.js';
import { writeVolatile } from './volatile.js';
import { WorkerPool, defaultWorkers } from './pool.js';
import { importEnvModules, type JobTask } from './tasks.js';
import { canonicalJson } from './canonical-json.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const axis = z.union([scalar, z.array(z.unknown()).min(1, { error: 'an empty list gives no grid point' })], { error: 'must be a value or a list of values (a list is a grid axis)' });
const agentEntry = z.union([
  z.string().min(1),
  z.object({ spec: z.string().min(1), params: z.record(z.string(), axis).optional() }).strict(),
]);

const SEEDS_FORMS = 'a count N (seeds 0 … N−1) or a list of distinct non-negative integer seeds';
/** `seeds`: a count or a list; each mistake gets its own message (a plain union said only "Invalid input"). */
const seedsSchema = z.unknown().superRefine((v, ctx) => {
  const bad = (message: string): void => { ctx.addIssue({ code: 'custom', message }); };
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 1 || v > 100_000) bad(`${v} is not a count of seeds from 1 to 100000; give ${SEEDS_FORMS}`);
    return;
  }
  if (v === undefined) return bad(`missing; give ${SEEDS_FORMS}`);
  if (!Array.isArray(v)) return bad(`must be ${SEEDS_FORMS}, got ${JSON.stringify(v)}`);
  if (v.length === 0) return bad(`an empty list runs nothing; give ${SEEDS_FORMS}`);
  const seen = new Set<number>();
  for (const x of v) {
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) return bad(`${JSON.stringify(x)} is not a non-negative integer seed`);
    // the same seed twice is the same run twice: n = 2 with a CI of ± 0 that is no evidence
    if (seen.has(x)) return bad(`seed ${x} is listed twice; seeds must be distinct`);
    seen.add(x);
  }
}).transform((v) => v as number | number[]);

export const sweepConfigSchema = z.object({
  name: z.string().optional(),
  env: z.string().min(1).default(DEFAULT_ENV_ID),
  scenarios: z.array(z.string().min(1)).min(1).optional(),
  envParams: z.record(z.string(), axis).default({}),
  agents: z.array(agentEntry).min(1),
  seeds: seedsSchema,
  maxSteps: z.number().int().positive().optional(),
  envModules: z.array(z.string().min(1)).default([]),
  out: z.string().optional(),
}).strict();

export type SweepConfig = z.input<typeof sweepConfigSchema>;

export interface Job {
  hash: string;
  envSpec: EnvSpecJSON;
  agent: string;
  seed: number;
  maxSteps?: number;
  /** Labels for the tables. */
  scenario: string;
  variant: string;
}

export interface SweepPlan {
  config: z.output<typeof sweepConfigSchema>;
  jobs: Job[];
  envModules: string[];
}

export function jobHash(j: Pick<Job, 'envSpec' | 'agent' | 'seed' | 'maxSteps'>): string {
  const inputs = { format: 'iocm-gym/job@1', envSpec: j.envSpec, agent: j.agent.trim(), seed: j.seed, maxSteps: j.maxSteps ?? null };
  return createHash('sha256').update(canonicalJson(inputs)).digest('hex').slice(0, 24);
}

function grid(params: Record<string, unknown>): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [k, v] of Object.entries(params)) {
    const vals = Array.isArray(v) ? v : [v];
    out = out.flatMap((o) => vals.map((x) => ({ ...o, [k]: x })));
  }
  return out;
}

function expandAgents(entries: z.infer<typeof agentEntry>[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (typeof e === 'string') { out.push(e.trim()); continue; }
    const combos = grid(e.params ?? {});
    for (const c of combos) {
      const kv = Object.entries(c).map(([k, v]) => `${k}=${String(v)}`).join(',');
      out.push(kv ? `${e.spec}${e.spec.includes(':') ? ',' : ':'}${kv}` : e.spec);
    }
  }
  return [...new Set(out)];
}

/** A scenario's label in tables: its name, or a file's base name without `.json`. */
export function scenarioLabel(sc: string): string {
  return sc.includes('/') || sc.endsWith('.json') ? basename(sc).replace(/\.json$/, '') : sc;
}

function resolveModule(m: string, base: string): string {
  if (m.startsWith('file:')) return m;
  return pathToFileURL(isAbsolute(m) ? m : resolve(base, m)).href;
}

/** Validates a config and expands it into jobs (every env spec is built once, so bad input fails here). */
export async function planSweep(raw: unknown, opts: { where?: string; baseDir?: string } = {}): Promise<SweepPlan> {
  const where = opts.where ?? 'sweep config';
  const config = parseConfig(sweepConfigSchema, raw, where);
  // SideCore without scenarios ran its default scenario (paper) unasked
  if (config.env.startsWith('SideCore-') && config.scenarios === undefined && config.envParams.scenario === undefined) {
    throw new UsageError(`${where}: scenarios: missing; ${config.env} needs a list of scenarios, e.g. "scenarios": ["paper"] (iocm-gym scenarios lists them)`);
  }
  const envModules = config.envModules.map((m) => resolveModule(m, opts.baseDir ?? process.cwd()));
  try {
    await importEnvModules(envModules);
  } catch (e) {
    throw new UsageError(`${where}: envModules: ${(e as Error).message.split('\n')[0]}`);
  }
  const seeds = typeof config.seeds === 'number' ? Array.from({ length: config.seeds }, (_, i) => i) : config.seeds;
  const agents = expandAgents(config.agents);
  const scenarios = config.scenarios ? expandScenarios(config.scenarios) : [undefined];
  const variants = grid(config.envParams);
  // Agent specs are checked up front (an unknown agent is a usage error before any job runs).
  const { parseAgentSpec } = await import('../agents/spec.js');
  for (const a of agents) {
    if (isOracleSpec(a)) continue;
    try {
      if (/^(ppo|dqn):/.test(a)) await parseAgentSpec(a);
      else await parseAgentSpec(a, { seed: 0 });
    } catch (e) {
      // name the file and the field, as the config's other errors do
      throw new UsageError(`${where}: agents: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const jobs: Job[] = [];
  const fit = newFitCache();
  for (const sc of scenarios) {
    for (const v of variants) {
      const kwargs = sc === undefined ? { ...v } : { ...v, scenario: sc };
      let envSpec: EnvSpecJSON;
      try {
        envSpec = envSpecFor(config.env, kwargs);
      } catch (e) {
        // name the scenario: among `--scenarios a,b.json` the message alone does not say which is bad
        const msg = (e as Error).message;
        throw new UsageError(`${where}: ${sc !== undefined && !msg.includes(sc) ? `scenario ${sc}: ` : ''}${msg}`);
      }
      const variant = Object.entries(v).map(([k, x]) => `${k}=${String(x)}`).join(',');
      // ... and against each env (static:<x> beyond maxIoCores, a model trained for other spaces).
      for (const agent of agents) {
        try {
          await checkAgentFits(envSpec, agent, fit);
        } catch (e) {
          if (e instanceof UsageError) throw new UsageError(`${(e as Error).message.split('\n')[0]}${sc !== undefined ? ` (scenario ${scenarioLabel(sc)}${variant ? `, ${variant}` : ''})` : ''}`);
          throw e;
        }
      }
      for (const agent of agents) {
        for (const seed of seeds) {
          const j = { envSpec, agent, seed, ...(config.maxSteps !== undefined ? { maxSteps: config.maxSteps } : {}) };
          jobs.push({ ...j, hash: jobHash(j), scenario: sc === undefined ? config.env : scenarioLabel(sc), variant });
        }
      }
    }
  }
  return { config, jobs, envModules };
}

export function readSweepConfig(path: string): { raw: unknown; baseDir: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--config ${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return { raw: JSON.parse(text), baseDir: dirname(resolve(path)) };
  } catch (e) {
    throw new UsageError(`--config ${path}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

export { jobEntry, type JobEntry, type JobFile } from './job-file.js';

export function jobPath(out: string, hash: string): string {
  return join(out, 'jobs', `${hash}.json`);
}

/** Reads a finished job file; undefined when missing or unreadable (then the job is run again). */
export function readJob(out: string, hash: string): JobFile | undefined {
  const p = jobPath(out, hash);
  if (!existsSync(p)) return undefined;
  try {
    return parseJobFile(readFileSync(p, 'utf8'), p, hash);
  } catch {
    return undefined;
  }
}

/** A job file's text as a record; undefined when it is not the job file of `hash`; throws when it is no run record. */
function parseJobFile(text: string, where: string, hash: string): JobFile | undefined {
  const raw = JSON.parse(text) as { job?: JobFile['job'] };
  const job = raw.job;
  // the inputs pass the schema a queue worker checks its jobs with
  if (!job || job.hash !== hash || !jobInputsSchema.safeParse(job).success) return undefined;
  const rec = validateRunRecord(raw, where) as JobFile;
  rec.job = job;
  return rec;
}

export interface SweepProgress {
  total: number;
  skipped: number;
  done: number;
  job?: Job;
  /** On a queue (`queue`): the worker processes that have sent results so far. */
  workers?: number;
}

export interface RunSweepOptions {
  out: string;
  workers?: number;
  /**
   * Run on this pool instead of a new one of `workers` threads, and leave it open: its workers keep
   * what they compiled and derived, so sweeps run one after another in a script skip the warm-up.
   */
  pool?: WorkerPool;
  resume?: boolean;
  /** Delete the job files already in `out` first (a fresh run; `paper` without --resume). */
  overwrite?: boolean;
  onProgress?: (p: SweepProgress) => void;
  /** Run the jobs on this Redis queue (`redis://…`, `experiments/queue/`) instead of the pool. */
  queue?: string;
}

export interface SweepOutcome {
  out: string;
  jobs: Job[];
  /** Per job, in plan order (the job files hold the per-step arrays). */
  records: JobEntry[];
  ran: number;
  skipped: number;
  wallMs: number;
  /** Jobs that failed on a queue (left out of `jobs` and `records`; the pool stops at a failure instead). */
  failed?: { hash: string; error: string }[];
}

/**
 * Runs the jobs of a plan that have no file yet. Without `resume`, an out dir that already holds job
 * files is refused (a one-line usage error), so two sweeps never mix silently.
 */
export async function runSweep(plan: SweepPlan, o: RunSweepOptions): Promise<SweepOutcome> {
  const t0 = performance.now();
  // refuses a foreign folder and one another command writes (out-dir.ts)
  const claim = claimOutDir(o.out);
  try {
    return await runSweepIn(claim.abs, plan, o, t0);
  } finally {
    claim.release();
  }
}

async function runSweepIn(out: string, plan: SweepPlan, o: RunSweepOptions, t0: number): Promise<SweepOutcome> {
  const jobsDir = join(out, 'jobs');
  removeStaleTemps(jobsDir);
  removeStaleTemps(out);
  let existing = existsSync(jobsDir) ? readdirSync(jobsDir).filter((f) => f.endsWith('.json')) : [];
  if (!o.resume && o.overwrite) {
    for (const f of existing) unlinkSync(join(jobsDir, f));
    existing = [];
  }
  if (!o.resume && existing.length > 0) {
    throw new UsageError(`--out ${o.out}: already holds ${existing.length} finished job(s); pass --resume to continue that sweep, or choose another --out`);
  }
  writeJsonAtomic(join(out, 'sweep.json'), { format: 'iocm-gym/sweep@1', config: plan.config, jobs: plan.jobs.map((j) => ({ hash: j.hash, agent: j.agent, seed: j.seed, scenario: j.scenario, variant: j.variant })) }, 1);
  const records = new Array<JobEntry | undefined>(plan.jobs.length);
  const todo: number[] = [];
  plan.jobs.forEach((j, i) => {
    const r = readJob(out, j.hash);
    if (r) records[i] = jobEntry(r); else todo.push(i);
  });
  // A job listed twice (same inputs) runs once.
  const seen = new Set<string>();
  const unique = todo.filter((i) => { const h = plan.jobs[i]!.hash; if (seen.has(h)) return false; seen.add(h); return true; });
  const skipped = plan.jobs.length - todo.length;
  let done = 0;
  o.onProgress?.({ total: plan.jobs.length, skipped, done });
  const tasks: JobTask[] = unique.map((i) => {
    const j = plan.jobs[i]!;
    return { kind: 'job', file: jobPath(out, j.hash), job: { hash: j.hash, agent: j.agent, seed: j.seed, maxSteps: j.maxSteps ?? null, scenario: j.scenario, variant: j.variant, inputEnvSpec: j.envSpec } };
  });
  makeDirs(jobsDir);
  let workers: number | undefined;
  const onEntry = (k: number, entry: JobEntry): void => {
    const i = unique[k]!;
    records[i] = entry;
    done++;
    o.onProgress?.({ total: plan.jobs.length, skipped, done, job: plan.jobs[i]!, ...(workers !== undefined ? { workers } : {}) });
  };
  let failed: SweepOutcome['failed'];
  const pool = o.queue ? undefined : o.pool ?? new WorkerPool(o.workers ?? defaultWorkers());
  const unclean = cleanTempsOnInterrupt(jobsDir);
  // on a queue, the collector writes the job files the workers elsewhere send back
  if (o.queue) {
    const { runOnQueue } = await import('./queue/collector.js');
    failed = await runOnQueue(o.queue, plan.jobs.map((j) => j.hash), tasks, { onResult: onEntry, onWorkers: (n) => { workers = n; o.onProgress?.({ total: plan.jobs.length, skipped, done, workers }); } }).finally(unclean);
  } else if (pool) try {
    // jobs of one env go to the same worker where possible: it derives the env's caches once
    const keys = tasks.map((t) => canonicalJson(t.job.inputEnvSpec));
    // the workers write the job files; a job's entry arrives once its file is in place
    await pool.map<JobEntry>(tasks.map((t) => ({ ...t, envModules: plan.envModules })), onEntry, keys);
  } finally {
    if (!o.pool) await pool.close();
    unclean();
  }
  const lost = new Set(failed?.map((f) => f.hash));
  const kept = plan.jobs.flatMap((j, i) => (lost.has(j.hash) ? [] : [i]));
  const all: JobEntry[] = kept.map((i) => {
    const j = plan.jobs[i]!;
    // a job listed twice ran once: its other listing reads the file
    const r = records[i];
    if (r) return r;
    const f = readJob(out, j.hash);
    if (!f) throw new Error(`sweep: job ${j.hash} has no result file`);
    return jobEntry(f);
  });
  const wallMs = performance.now() - t0;
  const ran = unique.length - lost.size;
  writeVolatile(out, plan.jobs, records.map((r) => r ?? {}), { wallMs, workers: o.queue ? workers ?? 0 : o.pool?.size ?? o.workers ?? defaultWorkers(), ran, skipped }, provenance());
  return { out, jobs: kept.map((i) => plan.jobs[i]!), records: all, ran, skipped, wallMs, ...(failed ? { failed } : {}) };
}
