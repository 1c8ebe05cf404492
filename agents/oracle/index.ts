/**
 * The exhaustive-search oracles (`docs/experiments.md`, "The oracle"), each exact within a stated space,
 * for one episode of a phased env from one seed (see `problem.ts`):
 *
 * * **cost-aware dynamic oracle** (`oracle`, `oracle-dp`; `dp.ts`) — the best schedule that may change
 *   the configuration at any decision point of a grid (every epoch by default, plus the phase starts),
 *   switching costs and carried-over state included, by dynamic programming over (decision point, env
 *   state) with exact state merging; with an upper bound on the optimum.
 *
 * * **static oracle** (`oracle-static`) — every configuration (I/O-core count, baseline included)
 *   held for a whole episode, read phase by phase: for each phase the configuration whose phase reward
 *   is highest (the paper's "side-core system tuned by an oracle", each workload with its best static
 *   count). Space: |C| configurations × P phases, |C| episodes (exact ties go to the previous phase's
 *   choice). The schedule is then replayed once, switches at phase starts included; `score` is that
 *   replayed total, `bound` the sum of the per-phase maxima (what the schedule would earn if switching
 *   were free and phase states did not depend on the past).
 * * **per-phase oracle** (`oracle-phase`) — every sequence of per-phase configurations (|C|^P
 *   schedules), switching costs and every carried-over state included, by depth-first tree search over
 *   `getState/setState` snapshots with prefix sharing (and state merging, `merge.ts`). `score` is the
 *   exact best total; the schedule is replayable.
 *
 * Work is spread over worker threads through a `ParallelMap` that the caller provides (the experiment
 * runner's pool); the default runs in this thread. The answer is the same either way (see `search.ts`).
 */
import type { Agent } from '../agent.js';
import type { Info } from '../../env/core/env.js';
import { oracleProblem, scheduleActions, type OracleProblem } from './problem.js';
import { runSchedule, searchSubtree, staticConfigRun, type StaticConfigResult, type SubtreeResult } from './search.js';
import { expandNode, lexLess, searchFrom, type ExpandResult, type FrontierNode } from './merge.js';
import { buildEnv } from './problem.js';
import { runDpTask, solveDp, type DpOptions, type DpStats, type DpTask } from './dp.js';
import type { ConstantRunResult, DpExpandResult } from './dp-tasks.js';

export * from './problem.js';
export * from './search.js';
export * from './merge.js';
export * from './dp.js';
export * from './dp-tasks.js';
export * from './grid.js';
export * from './future-key.js';

/** `dp`: the cost-aware dynamic oracle; `phase`: the best per-phase schedule; `static`: per phase the best constant. */
export type OracleKind = 'static' | 'phase' | 'dp';

export type OracleTask =
  | DpTask
  | { kind: 'oracle-static'; problem: OracleProblem; config: number }
  | { kind: 'oracle-subtree'; problem: OracleProblem; prefix: number[] }
  | { kind: 'oracle-expand'; problem: OracleProblem; node: FrontierNode; withState: boolean }
  | { kind: 'oracle-from'; problem: OracleProblem; node: FrontierNode };

/** Runs tasks (possibly on worker threads) and returns their results in task order. */
export type ParallelMap = (tasks: OracleTask[]) => Promise<unknown[]>;

export function runOracleTask(t: OracleTask): StaticConfigResult | SubtreeResult | ExpandResult | ConstantRunResult | DpExpandResult {
  switch (t.kind) {
    case 'oracle-constant':
    case 'oracle-dp-expand': return runDpTask(t);
    case 'oracle-static': return staticConfigRun(t.problem, t.config);
    case 'oracle-subtree': return searchSubtree(t.problem, t.prefix);
    case 'oracle-expand': return expandNode(t.problem, t.node, t.withState);
    case 'oracle-from': return searchFrom(t.problem, t.node);
  }
}

const inline: ParallelMap = async (tasks) => tasks.map(runOracleTask);

export interface OracleResult {
  kind: OracleKind;
  envSpec: OracleProblem['envSpec'];
  seed: number;
  configs: number[];
  phases: { name: string; start: number; end: number }[];
  horizon: number;
  /** The chosen configuration of each phase (dp: of each segment of the grid), and the action log that plays it. */
  schedule: number[];
  actions: number[];
  /** Total reward of the schedule's episode (exact, as a replay gives it). */
  score: number;
  /** Size of the space searched (static: |C|·P phase choices; phase: |C|^P schedules; dp: |C|^J, Infinity beyond doubles — see spaceLog10). */
  spaceSize: number;
  /** log10 of spaceSize (dp). */
  spaceLog10?: number;
  spaceDescription: string;
  evaluations: { episodes: number; phaseSims: number; steps: number; snapshots: number; restores: number };
  wallMs: number;
  tasks: number;
  /** Dynamic oracle with state merging: distinct states per phase boundary, and prefixes merged away. */
  merging?: { distinctStates: number[]; merged: number; fellBackAtPhase: number | null };
  /** Static oracle only: per phase, the reward of every configuration, and the free-switching bound. */
  perPhase?: { name: string; rewards: number[]; best: number }[];
  bound?: number;
  bestConstant?: { config: number; total: number };
  /** Cost-aware dynamic oracle only: the grid's decision points and the search's statistics and bound. */
  decisionPoints?: number[];
  dp?: DpStats;
  /** dp: switches of the schedule found, a first-step move away from the starting configuration included. */
  switches?: number;
}

function phasesOf(pr: OracleProblem): OracleResult['phases'] {
  return pr.phaseStarts.map((s, i) => ({ name: pr.phaseNames[i] ?? `phase${i}`, start: s, end: pr.phaseStarts[i + 1] ?? pr.horizon }));
}

/** Argmax with ties to the lowest index (the smallest configuration). */
function argmax(xs: readonly number[]): number {
  let bi = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[bi]! || Number.isNaN(xs[bi]!)) bi = i;
  return bi;
}

export async function solveStatic(pr: OracleProblem, map: ParallelMap = inline): Promise<OracleResult> {
  const t0 = performance.now();
  const tasks: OracleTask[] = pr.configs.map((config) => ({ kind: 'oracle-static', problem: pr, config }));
  const runs = (await map(tasks)) as StaticConfigResult[];
  const P = pr.phaseStarts.length;
  // Per phase the configuration with the highest phase reward; on an exact tie, the previous phase's
  // choice (no needless switch), else the smallest configuration.
  let prev: number | undefined;
  const perPhase = pr.phaseNames.map((name, p) => {
    const rewards = runs.map((r) => r.phaseRewards[p]!);
    const i = argmax(rewards);
    const pi = prev === undefined ? -1 : pr.configs.indexOf(prev);
    const best = pi >= 0 && rewards[pi] === rewards[i] ? prev! : pr.configs[i]!;
    prev = best;
    return { name, rewards, best };
  });
  let bound = 0;
  for (const ph of perPhase) bound += Math.max(...ph.rewards);
  const schedule = perPhase.map((ph) => ph.best);
  const replay = runSchedule(pr, schedule);
  const bc = argmax(runs.map((r) => r.total));
  const steps = runs.reduce((a, r) => a + r.steps, 0) + pr.horizon;
  return {
    kind: 'static', envSpec: pr.envSpec, seed: pr.seed, configs: pr.configs, phases: phasesOf(pr), horizon: pr.horizon,
    schedule, actions: scheduleActions(pr, schedule), score: replay.total,
    spaceSize: pr.configs.length * P,
    spaceDescription: `${pr.configs.length} configurations × ${P} phases (each configuration held for a whole episode, best per phase)`,
    evaluations: { episodes: runs.length + 1, phaseSims: (runs.length + 1) * P, steps, snapshots: 0, restores: 0 },
    wallMs: performance.now() - t0, tasks: tasks.length,
    perPhase, bound, bestConstant: { config: pr.configs[bc]!, total: runs[bc]!.total },
  };
}

/** Depth at which the tree is cut into tasks: ≥ 4 tasks per worker when the tree allows. */
export function splitDepth(pr: OracleProblem, workers: number): number {
  if (workers <= 1) return 0;
  let d = 0;
  let n = 1;
  while (d < pr.phaseStarts.length - 1 && n < 4 * workers) {
    n *= pr.configs.length;
    d++;
  }
  return d;
}

/** Every prefix of `depth` phases, in lexicographic order. */
function prefixes(configs: readonly number[], depth: number): number[][] {
  let out: number[][] = [[]];
  for (let d = 0; d < depth; d++) out = out.flatMap((p) => configs.map((c) => [...p, c]));
  return out;
}

export interface DynamicOptions {
  map?: ParallelMap;
  /** Workers the map spreads over (sets how finely the tree is split). */
  workers?: number;
  /** Refuse spaces larger than this many schedules (default 2,000,000). */
  maxSchedules?: number;
  /**
   * Merge prefixes that reach bit-identical env states (default true; see `merge.ts`). false: the plain
   * depth-first tree search with prefix sharing.
   */
  merge?: boolean;
  /** Merged search: above this many states in a level, continue depth-first (default 256). */
  maxFrontier?: number;
}

export async function solveDynamic(pr: OracleProblem, o: DynamicOptions = {}): Promise<OracleResult> {
  const t0 = performance.now();
  const P = pr.phaseStarts.length;
  const K = pr.configs.length;
  const space = K ** P;
  const max = o.maxSchedules ?? 2_000_000;
  if (space > max) throw new Error(`oracle: ${K} configurations over ${P} phases make ${space} schedules, above the limit ${max}`);
  if (o.merge ?? true) return solveDynamicMerged(pr, o, t0, space);
  const depth = splitDepth(pr, o.workers ?? 1);
  const tasks: OracleTask[] = prefixes(pr.configs, depth).map((prefix) => ({ kind: 'oracle-subtree', problem: pr, prefix }));
  const results = (await (o.map ?? inline)(tasks)) as SubtreeResult[];
  let best: SubtreeResult | undefined;
  const ev = { episodes: results.length, phaseSims: 0, steps: 0, snapshots: 0, restores: 0 };
  let leaves = 0;
  for (const r of results) {
    leaves += r.leaves;
    ev.phaseSims += r.phaseSims;
    ev.steps += r.steps;
    ev.snapshots += r.snapshots;
    ev.restores += r.restores;
    if (!best || r.total > best.total) best = r;
  }
  if (!best || leaves !== space) throw new Error(`oracle: searched ${leaves} of ${space} schedules`);
  return {
    kind: 'phase', envSpec: pr.envSpec, seed: pr.seed, configs: pr.configs, phases: phasesOf(pr), horizon: pr.horizon,
    schedule: best.best, actions: scheduleActions(pr, best.best), score: best.total,
    spaceSize: space, spaceDescription: `${K}^${P} schedules (one of ${K} configurations per phase, switches at phase starts)`,
    evaluations: ev, wallMs: performance.now() - t0, tasks: tasks.length,
  };
}

async function solveDynamicMerged(pr: OracleProblem, o: DynamicOptions, t0: number, space: number): Promise<OracleResult> {
  const P = pr.phaseStarts.length;
  const K = pr.configs.length;
  const map = o.map ?? inline;
  const maxFrontier = o.maxFrontier ?? 256;
  const env = buildEnv(pr.envSpec);
  env.reset({ seed: pr.seed });
  if (!env.getState) throw new Error(`oracle: ${pr.envSpec.id} has no getState/setState`);
  let level: FrontierNode[] = [{ prefix: [], total: 0, state: env.getState() }];
  env.close();
  const ev = { episodes: 0, phaseSims: 0, steps: 0, snapshots: 1, restores: 0 };
  const distinctStates: number[] = [1];
  let merged = 0;
  let fellBackAtPhase: number | null = null;
  let tasks = 0;
  let best: { schedule: number[]; total: number } | undefined;
  const consider = (schedule: number[], total: number): void => {
    if (!best || total > best.total || (total === best.total && lexLess(schedule, best.schedule))) best = { schedule, total };
  };
  for (let p = 0; p < P; p++) {
    const last = p === P - 1;
    if (!last && level.length * K > maxFrontier) {
      fellBackAtPhase = p;
      const rs = (await map(level.map((node) => ({ kind: 'oracle-from', problem: pr, node })))) as SubtreeResult[];
      tasks += rs.length;
      for (const r of rs) {
        ev.episodes++;
        ev.phaseSims += r.phaseSims; ev.steps += r.steps; ev.snapshots += r.snapshots; ev.restores += r.restores;
        consider(r.best, r.total);
      }
      break;
    }
    const rs = (await map(level.map((node) => ({ kind: 'oracle-expand', problem: pr, node, withState: !last })))) as ExpandResult[];
    tasks += rs.length;
    const next = new Map<string, FrontierNode>();
    rs.forEach((r, i) => {
      const node = level[i]!;
      ev.episodes++;
      ev.phaseSims += r.children.length; ev.steps += r.steps; ev.restores += r.children.length;
      if (!last) ev.snapshots += r.children.length;
      for (const ch of r.children) {
        const prefix = [...node.prefix, ch.config];
        if (last) { consider(prefix, ch.total); continue; }
        const seen = next.get(ch.key);
        if (seen) merged++;
        if (!seen || ch.total > seen.total || (ch.total === seen.total && lexLess(prefix, seen.prefix))) next.set(ch.key, { prefix, total: ch.total, state: ch.state });
      }
    });
    if (!last) {
      level = [...next.values()].sort((a, b) => (lexLess(a.prefix, b.prefix) ? -1 : lexLess(b.prefix, a.prefix) ? 1 : 0));
      distinctStates.push(level.length);
    }
  }
  if (!best) throw new Error('oracle: the merged search found no schedule');
  return {
    kind: 'phase', envSpec: pr.envSpec, seed: pr.seed, configs: pr.configs, phases: phasesOf(pr), horizon: pr.horizon,
    schedule: best.schedule, actions: scheduleActions(pr, best.schedule), score: best.total,
    spaceSize: space, spaceDescription: `${K}^${P} schedules (one of ${K} configurations per phase, switches at phase starts; prefixes reaching identical env states merged)`,
    evaluations: ev, wallMs: performance.now() - t0, tasks,
    merging: { distinctStates, merged, fellBackAtPhase },
  };
}

/** The cost-aware dynamic oracle (see `dp.ts`) as an {@link OracleResult}. */
export async function solveCostAware(pr: OracleProblem, o: Omit<DpOptions, 'map'> & { map?: ParallelMap } = {}): Promise<OracleResult> {
  const t0 = performance.now();
  const s = await solveDp(pr, o);
  const K = pr.configs.length, J = s.points.length;
  return {
    kind: 'dp', envSpec: pr.envSpec, seed: pr.seed, configs: pr.configs, phases: phasesOf(pr), horizon: pr.horizon,
    schedule: s.schedule, actions: s.actions, score: s.score,
    spaceSize: K ** J, spaceLog10: s.spaceLog10,
    spaceDescription: `${K}^${J} ≈ 10^${s.spaceLog10.toFixed(1)} schedules (one of ${K} configurations at each of ${J} decision points: every ${s.stats.every} epoch(s) and the phase starts; switching costs included; paths reaching identical env states merged${s.stats.exact ? '' : `; NOT exact: ${s.stats.pruned} states dropped above the per-level limit`})`,
    evaluations: s.evaluations, wallMs: performance.now() - t0, tasks: s.tasks,
    bound: s.stats.bound, decisionPoints: s.points, dp: s.stats, switches: s.switches,
  };
}

export type SolveOptions = DynamicOptions & Pick<DpOptions, 'every' | 'maxStates'>;

export async function solveOracle(kind: OracleKind, pr: OracleProblem, o: SolveOptions = {}): Promise<OracleResult> {
  if (kind === 'static') return solveStatic(pr, o.map);
  if (kind === 'phase') return solveDynamic(pr, o);
  return solveCostAware(pr, { ...(o.map ? { map: o.map } : {}), ...(o.workers !== undefined ? { workers: o.workers } : {}), ...(o.every !== undefined ? { every: o.every } : {}), ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}) });
}

export { oracleProblem };

/**
 * An agent that plays a fixed action log (the oracle's schedule): the oracle as a row of the tables.
 * It acts in the absolute mode (actions are configurations) and refuses to run past its log.
 */
export class ActionLogAgent implements Agent<unknown, number> {
  readonly actionMode = 'absolute' as const;
  private t = 0;

  constructor(readonly spec: string, readonly actions: readonly number[], private readonly meta: Record<string, unknown> = {}) {}

  reset(): void {
    this.t = 0;
  }

  act(_obs: unknown, _info: Info): number {
    const a = this.actions[this.t];
    if (a === undefined) throw new Error(`${this.spec}: the action log has ${this.actions.length} actions, asked for step ${this.t}`);
    this.t++;
    return a;
  }

  describe(): Record<string, unknown> {
    return { agent: this.spec, ...this.meta };
  }
}

/**
 * The schedule as run records show it: per phase for the per-phase oracles; for the dynamic oracle the
 * configuration changes, labelled `@<step>` (its per-epoch schedule is the action log itself).
 */
export function oracleScheduleMeta(r: OracleResult): { schedule: number[]; phases: string[] } {
  if (r.dp) return { schedule: r.dp.changes.map(([, c]) => c), phases: r.dp.changes.map(([t]) => `@${t}`) };
  return { schedule: r.schedule, phases: r.phases.map((p) => p.name) };
}
