/**
 * The experiment runner: one episode of one agent in one env from one seed → a {@link RunRecord}.
 *
 * `runEpisode(envSpec, agentSpec, seed)` builds the agent from its spec (`agents/spec.ts`; plus the
 * oracles `oracle` (= `oracle-dp`, `oracle-dynamic`), `oracle-phase` and `oracle-static`, which first
 * search the schedule, see `agents/oracle`), switches the env to the action mode the agent acts in,
 * resets env and agent with the seed, and steps until the episode is terminated or truncated (or
 * `maxSteps`), recording the action log, every reward, a per-epoch trace and summary metrics.
 * `replayRecord(record)` re-runs a record's action log from its env spec and seed and compares every
 * reward bit for bit.
 *
 * Everything is deterministic: the same inputs give the same record (but for wall times), in this
 * thread or in a worker.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import '../env/index.js';
import { EnvSpec, make, type EnvSpecJSON } from '../env/core/registry.js';
import type { Env, Info } from '../env/core/env.js';
import type { Agent } from '../agents/agent.js';
import { parseAgentSpec } from '../agents/spec.js';
import { ActionLogAgent, oracleProblem, oracleScheduleMeta, solveOracle, type OracleKind, type OracleResult, type ParallelMap } from '../agents/oracle/index.js';
import { UsageError } from './errors.js';
import { toJson } from './io.js';
import { packageRoot, packageVersion } from './paths.js';
import { RUN_FORMAT, type RunRecord, type RunSummary } from './record.js';
import { withActionMode } from './envs.js';
import { txWeightedMean } from './latency.js';

export interface RunOptions {
  /** Stop after this many steps even if the episode goes on (default: to the episode's end). */
  maxSteps?: number;
  /** Record the per-epoch trace (default true). */
  trace?: boolean;
  /** Worker map for the oracle's search (default: this thread). */
  oracleMap?: ParallelMap;
  oracleWorkers?: number;
  /** Modules that register extra env ids (passed on to oracle workers). */
  envModules?: string[];
  /** A precomputed oracle result for this env and seed (evaluate computes it once and reuses it). */
  oracle?: OracleResult;
  /** Called after every step with the step's index, action, reward and info (e.g. `simulate --trace`). */
  onStep?: (s: StepReport) => void;
}

/** What `RunOptions.onStep` sees of one step. */
export interface StepReport {
  step: number;
  action: number;
  reward: number;
  info: Info;
  /** Whether the step changed the I/O cores (SideCore envs; else false). */
  reconfigured: boolean;
  terminated: boolean;
  truncated: boolean;
}

/** `oracle` is the cost-aware dynamic oracle; `oracle-phase` the best per-phase schedule (before it, `oracle`). */
export const ORACLE_SPECS: Record<string, OracleKind> = { oracle: 'dp', 'oracle-dp': 'dp', 'oracle-dynamic': 'dp', 'oracle-phase': 'phase', 'oracle-static': 'static' };

export function isOracleSpec(spec: string): boolean {
  return Object.prototype.hasOwnProperty.call(ORACLE_SPECS, spec.trim());
}

/** The action mode an agent acts in (declared, else from describe(), else the model's env, else delta). */
export function actionModeOf(agent: Agent<unknown, number>): 'delta' | 'absolute' {
  if (agent.actionMode) return agent.actionMode;
  const d = agent.describe?.() ?? {};
  const m = d.actionMode ?? (d.trainedOn as { kwargs?: { actionMode?: unknown } } | undefined)?.kwargs?.actionMode;
  return m === 'absolute' ? 'absolute' : 'delta';
}

let gitCommit: string | null | undefined;
function readGitCommit(): string | null {
  if (gitCommit !== undefined) return gitCommit;
  gitCommit = null;
  try {
    let git = join(packageRoot(), '.git');
    // a worktree's .git is a file naming its git dir
    if (statSync(git).isFile()) git = readFileSync(git, 'utf8').trim().replace(/^gitdir: /, '');
    const head = readFileSync(join(git, 'HEAD'), 'utf8').trim();
    if (head.startsWith('ref: ')) {
      // a worktree keeps its branches in the common git dir
      const common = existsSync(join(git, 'commondir')) ? join(git, readFileSync(join(git, 'commondir'), 'utf8').trim()) : git;
      const ref = join(common, head.slice(5));
      if (existsSync(ref)) gitCommit = readFileSync(ref, 'utf8').trim();
    } else gitCommit = head;
  } catch { /* not a checkout */ }
  return gitCommit;
}

export function provenance(): Record<string, unknown> {
  return { package: `iocm-gym@${packageVersion()}`, gitCommit: readGitCommit(), node: process.version, platform: `${process.platform}-${process.arch}` };
}

function buildEnv(spec: EnvSpecJSON): Env<unknown, number> {
  try {
    return make<unknown, number>(EnvSpec.fromJSON(spec));
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0] ?? String(e));
  }
}

/**
 * Builds the agent of a spec for an env spec: the env switched to the agent's action mode, the agent,
 * and (but for oracles) the env built to fit the agent, fresh, for the caller to run and close.
 */
async function prepareRun(envSpec: EnvSpecJSON, agentSpec: string, seed: number, o: RunOptions): Promise<{ spec: EnvSpecJSON; agent: Agent<unknown, number>; oracle?: OracleResult; env?: Env<unknown, number> }> {
  const kind = ORACLE_SPECS[agentSpec.trim()];
  if (kind) {
    const result = o.oracle ?? (await solveOracle(kind, oracleProblem(envSpec, seed, o.envModules ?? []), { ...(o.oracleMap ? { map: o.oracleMap } : {}), workers: o.oracleWorkers ?? 1 }));
    if (result.kind !== kind || result.seed !== seed) throw new Error(`runner: the given oracle result is a ${result.kind} oracle for seed ${result.seed}, not ${kind} for seed ${seed}`);
    const meta = {
      oracle: kind, ...oracleScheduleMeta(result), spaceSize: Number.isFinite(result.spaceSize) ? result.spaceSize : null,
      space: result.spaceDescription, evaluations: result.evaluations, searchWallMs: Math.round(result.wallMs), tasks: result.tasks,
      ...(result.bound !== undefined ? { bound: result.bound, bestConstant: result.bestConstant } : {}),
      ...(result.dp ? { spaceLog10: result.spaceLog10, dp: result.dp } : {}),
    };
    return { spec: result.envSpec, agent: new ActionLogAgent(agentSpec.trim(), result.actions, meta), oracle: result };
  }
  const probe = await parseAgentSpec(agentSpec, { seed });
  const spec = withActionMode(envSpec, actionModeOf(probe));
  const env = buildEnv(spec);
  try {
    const agent = await parseAgentSpec(agentSpec, { seed, env: { observationSpace: env.observationSpace, actionSpace: env.actionSpace } });
    if (probe !== agent) (probe as { dispose?: () => void }).dispose?.();
    return { spec, agent, env };
  } catch (e) {
    env.close();
    throw e;
  }
}

/**
 * What `checkAgentFits` has already checked: each agent's action mode, (agent, spaces) pairs that fit,
 * and the spaces of the env specs it built last (agents that act in the same mode share one build).
 */
export interface FitCache {
  modes: Map<string, 'delta' | 'absolute'>;
  ok: Set<string>;
  spaces: Map<string, { observationSpace: Env<unknown, number>['observationSpace']; actionSpace: Env<unknown, number>['actionSpace']; key: string }>;
}

export function newFitCache(): FitCache {
  return { modes: new Map(), ok: new Set(), spaces: new Map() };
}

/**
 * Checks up front that a (non-oracle) agent spec can act in the env of a spec: builds the agent against
 * the env's spaces in the agent's action mode (a `static:<x>` beyond the env's maxIoCores, a learned model
 * trained for other spaces) and throws its one-line `UsageError` otherwise. Envs with equal spaces are
 * checked once per cache.
 */
export async function checkAgentFits(envSpec: EnvSpecJSON, agentSpec: string, cache: FitCache = newFitCache()): Promise<void> {
  const a = agentSpec.trim();
  if (isOracleSpec(a)) return checkOracleApplies(envSpec, a, cache);
  let mode = cache.modes.get(a);
  if (mode === undefined) {
    const probe = await parseAgentSpec(a, { seed: 0 });
    mode = actionModeOf(probe);
    (probe as { dispose?: () => void }).dispose?.();
    cache.modes.set(a, mode);
  }
  const spec = withActionMode(envSpec, mode);
  const specKey = JSON.stringify(spec);
  let sp = cache.spaces.get(specKey);
  if (!sp) {
    const env = buildEnv(spec);
    try {
      sp = { observationSpace: env.observationSpace, actionSpace: env.actionSpace, key: JSON.stringify([env.observationSpace.toJSON(), env.actionSpace.toJSON()]) };
    } finally {
      env.close();
    }
    // a sweep checks all its agents against one env before the next: a few recent envs are enough
    if (cache.spaces.size >= 16) cache.spaces.delete(cache.spaces.keys().next().value!);
    cache.spaces.set(specKey, sp);
  }
  const key = `${a}\0${sp.key}`;
  if (cache.ok.has(key)) return;
  const agent = await parseAgentSpec(a, { seed: 0, env: { observationSpace: sp.observationSpace, actionSpace: sp.actionSpace } });
  (agent as { dispose?: () => void }).dispose?.();
  cache.ok.add(key);
}

/**
 * Checks up front that the oracle can search the env of a spec (a phased env with a Discrete action
 * space): `evaluate --env CartPole-v1` failed only once its first oracle job ran, after writing.
 */
function checkOracleApplies(envSpec: EnvSpecJSON, spec: string, cache: FitCache): void {
  const key = `${spec}\0${JSON.stringify(envSpec)}`;
  if (cache.ok.has(key)) return;
  try {
    oracleProblem(envSpec, 0);
  } catch (e) {
    const why = ((e as Error).message.split('\n')[0] ?? '').replace(/^oracle: /, '');
    throw new UsageError(`agent "${spec}": ${why}; leave the oracles out (evaluate --oracle none)`);
  }
  cache.ok.add(key);
}

const num = (x: unknown): number => (typeof x === 'number' ? x : NaN);

function meanFinite(xs: readonly (number | boolean | null)[]): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (typeof x === 'number' && Number.isFinite(x)) { s += x; n++; }
  }
  return n ? s / n : NaN;
}

/** `v` as JSON data (typed arrays as arrays, NaN as null): the rest of a run record is plain by construction. */
function plainJson(v: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(toJson(v)) as Record<string, unknown>;
}

/** Runs one episode of `agentSpec` in the env of `envSpec` from `seed`; the record is plain JSON data. */
export async function runEpisode(envSpec: EnvSpecJSON, agentSpec: string, seed: number, o: RunOptions = {}): Promise<RunRecord> {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`seed must be a non-negative integer, got ${seed}`);
  const t0 = performance.now();
  const prepared = await prepareRun(envSpec, agentSpec, seed, o);
  const { spec, agent } = prepared;
  const env = prepared.env ?? buildEnv(spec);
  let played: Played;
  try {
    played = playEpisode(env, agent, seed, o);
  } finally {
    env.close();
    (agent as { dispose?: () => void }).dispose?.();
  }
  const { actions, rewards, cols, sawMetrics, reconfigurations, terminated, truncated } = played;
  const withTrace = o.trace ?? true;
  let score = 0;
  for (const r of rewards) score += r;
  const summary: RunSummary = {
    score, steps: rewards.length, meanReward: rewards.length ? score / rewards.length : NaN,
    throughputGbps: sawMetrics ? meanFinite(cols.throughputGbps ?? []) : NaN,
    transactionsPerSec: sawMetrics ? meanFinite(cols.transactionsPerSec ?? []) : NaN,
    p99Us: sawMetrics ? txWeightedMean(cols.p99Us ?? [], cols.transactionsPerSec ?? []) : NaN,
    exitsPerSec: sawMetrics ? meanFinite(cols.exitsPerSec ?? []) : NaN,
    meanIoCores: sawMetrics ? meanFinite(cols.ioCores ?? []) : NaN,
    reconfigurations, terminated, truncated,
  };
  return {
    format: RUN_FORMAT, envSpec: spec, seed,
    agent: { spec: agent.spec, actionMode: actionModeOf(agent), describe: plainJson(agent.describe?.() ?? {}) },
    actions, rewards, trace: withTrace ? cols : {}, summary,
    provenance: { ...provenance(), wallMs: Math.round(performance.now() - t0) },
  };
}

interface Played {
  actions: number[];
  rewards: number[];
  cols: Record<string, (number | boolean | null)[]>;
  sawMetrics: boolean;
  reconfigurations: number;
  terminated: boolean;
  truncated: boolean;
}

/** Appends step n's value to a trace column (a column that starts late is null before; non-finite numbers are null). */
function put(cols: Record<string, (number | boolean | null)[]>, k: string, n: number, v: number | boolean | null): void {
  (cols[k] ??= new Array<number | boolean | null>(n).fill(null)).push(typeof v === 'number' && !Number.isFinite(v) ? null : v);
}

/**
 * The step loop of `runEpisode`, in a function of its own: not async, so V8 optimises the loop once,
 * instead of re-entering an async function's optimised code (which deoptimised at every call).
 */
function playEpisode(env: Env<unknown, number>, agent: Agent<unknown, number>, seed: number, o: RunOptions): Played {
  const withTrace = o.trace ?? true;
  const actions: number[] = [];
  const rewards: number[] = [];
  const cols: Record<string, (number | boolean | null)[]> = { step: [], action: [], reward: [] };
  let sawMetrics = false;
  let terminated = false;
  let truncated = false;
  let reconfigurations = 0;
  let { obs, info } = env.reset({ seed });
  agent.reset?.(seed);
  const max = o.maxSteps ?? Infinity;
  let prevIo = typeof info.ioCores === 'number' ? info.ioCores : undefined;
  while (actions.length < max) {
    const action = agent.act(obs, info);
    const r = env.step(action);
    agent.observe?.({ obs, action, reward: r.reward, nextObs: r.obs, terminated: r.terminated, truncated: r.truncated, info: r.info });
    actions.push(action);
    rewards.push(r.reward);
    const inf: Info = r.info;
    const io = typeof inf.ioCores === 'number' ? inf.ioCores : undefined;
    const reconf = typeof inf.reconfigured === 'boolean' ? inf.reconfigured : io !== undefined && prevIo !== undefined && io !== prevIo;
    if (reconf) reconfigurations++;
    prevIo = io;
    o.onStep?.({ step: actions.length - 1, action, reward: r.reward, info: inf, reconfigured: reconf, terminated: r.terminated, truncated: r.truncated });
    if (withTrace) {
      cols.step!.push(actions.length - 1);
      cols.action!.push(action);
      cols.reward!.push(Number.isFinite(r.reward) ? r.reward : null);
      const m = inf.metrics as { throughputGbps?: number; transactionsPerSec?: number; latencyUs?: { p99?: number }; exitsPerSec?: number } | undefined;
      if (m !== undefined || io !== undefined) {
        sawMetrics = true;
        const n = actions.length - 1;
        put(cols, 'ioCores', n, io ?? null);
        put(cols, 'phase', n, typeof inf.phase === 'number' ? inf.phase : null);
        put(cols, 'throughputGbps', n, num(m?.throughputGbps));
        put(cols, 'transactionsPerSec', n, num(m?.transactionsPerSec));
        put(cols, 'p99Us', n, num(m?.latencyUs?.p99));
        put(cols, 'exitsPerSec', n, num(m?.exitsPerSec));
        put(cols, 'reconfigured', n, reconf);
      }
    }
    obs = r.obs;
    info = r.info;
    if (r.terminated || r.truncated) {
      terminated = r.terminated;
      truncated = r.truncated;
      break;
    }
  }
  return { actions, rewards, cols, sawMetrics, reconfigurations, terminated, truncated };
}

export interface ReplayResult {
  ok: boolean;
  steps: number;
  /** The first step whose reward differs (or where the episode ended differently), when not ok. */
  mismatch?: { step: number; recorded: number; replayed: number | null; what: string };
  score: number;
}

/** Re-runs a record's action log from its env spec and seed, checking every reward bit for bit. */
export function replayRecord(rec: Pick<RunRecord, 'envSpec' | 'seed' | 'actions' | 'rewards' | 'summary'>): ReplayResult {
  const env = buildEnv(rec.envSpec);
  let score = 0;
  try {
    env.reset({ seed: rec.seed });
    for (let t = 0; t < rec.actions.length; t++) {
      let r;
      try {
        r = env.step(rec.actions[t]!);
      } catch (e) {
        return { ok: false, steps: t, score, mismatch: { step: t, recorded: rec.rewards[t]!, replayed: null, what: `the env refused action ${rec.actions[t]} (${(e as Error).message.split('\n')[0]})` } };
      }
      score += r.reward;
      if (!Object.is(r.reward, rec.rewards[t])) {
        return { ok: false, steps: t + 1, score, mismatch: { step: t, recorded: rec.rewards[t]!, replayed: r.reward, what: 'reward' } };
      }
      const ended = r.terminated || r.truncated;
      const last = t === rec.actions.length - 1;
      if (ended && !last) return { ok: false, steps: t + 1, score, mismatch: { step: t, recorded: rec.rewards[t]!, replayed: r.reward, what: `the episode ended after ${t + 1} of ${rec.actions.length} recorded steps` } };
      if (last && !ended && (rec.summary.terminated || rec.summary.truncated)) {
        return { ok: false, steps: t + 1, score, mismatch: { step: t, recorded: rec.rewards[t]!, replayed: r.reward, what: 'the recorded episode ended here but the replay goes on' } };
      }
    }
  } finally {
    env.close();
  }
  return { ok: true, steps: rec.actions.length, score };
}
