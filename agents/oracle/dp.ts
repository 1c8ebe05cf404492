/**
 * The **cost-aware dynamic oracle** (`oracle`, alias `oracle-dp`): the best schedule of configurations
 * that may change at any decision point of a grid (`grid.ts`: every `every` epochs plus every phase
 * start), with the env's own switching costs and every carried-over state included, by dynamic
 * programming over (decision point, env state).
 *
 * **The recursion.** Level j holds the distinct env states reachable at decision point j, each with the
 * best total of the paths reaching it. Every state of level j is run through segment j with every
 * configuration; the children are merged by their key (`future-key.ts`: the snapshot without the parts
 * only observations read, compared bit for bit), keeping per key the best total. This is exact: a key
 * fixes every future reward, so of two paths reaching the same key the one with the higher total wins
 * under every continuation (floating-point addition is monotone). When the model's state at a decision
 * point is a function of the configuration (the fast tier: its transients end inside an epoch, and its
 * noise is a pure function of (seed, time, quantity), kept out of the state), a level holds at most |C| states, and the search is the DP over (decision point,
 * I/O-core count): J·|C|² segment simulations for J decision points. When states never coincide (the
 * detailed tier carries its RNG and event queue) levels grow as |C|^j; above `maxStates` the search
 * keeps the `maxStates` best states of the level, says so (`exact: false`), and the gap to the upper
 * bound is then the honest limit on its error.
 *
 * **The upper bound.** Per segment, the best reward any configuration earns there held from the reset
 * (no switching, no carried state but its own), or — if larger — the best segment reward the search saw
 * from any state it expanded. Summed over segments (and rounded up by the worst-case floating-point
 * summation error) it is ≥ the optimum whenever the search is exact, because the optimal schedule's
 * every segment starts from a state the search expanded. `steadyBound` is the first part alone, and
 * `boundExceeded` counts the expanded segments that earned more than their configuration's steady
 * reward (0: the steady bound itself is proven for this instance).
 *
 * **Determinism.** Levels are kept in lexicographic order of their schedules, children are visited in
 * (parent, configuration) order and replace a kept state only on a strictly higher total, so exact ties
 * go to the lexicographically smallest schedule; how a level is cut into tasks changes nothing, so one
 * thread and a worker pool give the same schedule and the same total, bit for bit.
 */
import type { OracleProblem } from './problem.js';
import { constantRun, expandNodes, initialState, type ConstantRunResult, type DpExpandResult, type DpNodeData } from './dp-tasks.js';
import { decisionPoints, gridActions, DEFAULT_EVERY, segmentRange } from './grid.js';

export type DpTask =
  | { kind: 'oracle-constant'; problem: OracleProblem; config: number }
  | { kind: 'oracle-dp-expand'; problem: OracleProblem; range: [number, number]; nodes: DpNodeData[]; withState: boolean };

export function runDpTask(t: DpTask): ConstantRunResult | DpExpandResult {
  return t.kind === 'oracle-constant' ? constantRun(t.problem, t.config) : expandNodes(t.problem, t.range, t.nodes, t.withState);
}

/** Runs tasks (possibly on worker threads) and returns their results in task order. */
export type DpMap = (tasks: DpTask[]) => Promise<unknown[]>;

export interface DpOptions {
  map?: DpMap;
  /** Workers the map spreads over: each level is cut into this many tasks (default 1). */
  workers?: number;
  /** Decision points every this many epochs, plus the phase starts (default {@link DEFAULT_EVERY}). */
  every?: number;
  /** Above this many distinct states in a level, keep the best ones only; the result is then not exact (default 4096). */
  maxStates?: number;
}

export interface DpStats {
  every: number;
  decisionPoints: number;
  /** Distinct states per decision point (after merging): the largest, and the mean. */
  maxStates: number;
  meanStates: number;
  /** Paths merged into an existing state, over the whole search. */
  merged: number;
  /** Whether every state was expanded (no level was cut to `maxStates`), and how many were dropped. */
  exact: boolean;
  pruned: number;
  /** Upper bound on the optimum (see the module comment) and its parts. */
  bound: number;
  steadyBound: number;
  boundExceeded: number;
  /** Configuration changes of the best schedule: [step, configuration] from step 0 on. */
  changes: [number, number][];
}

export interface DpSolution {
  points: number[];
  /** Configuration of each segment. */
  schedule: number[];
  /**
   * Switches of the schedule: its configuration changes, a first-step move away from the configuration
   * the env starts in included (not kept in run records' `dp`, which hold `stats`).
   */
  switches: number;
  actions: number[];
  score: number;
  /** log10 of the number of schedules on the grid (|C|^J), and the segment simulations run. */
  spaceLog10: number;
  evaluations: { episodes: number; phaseSims: number; steps: number; snapshots: number; restores: number };
  tasks: number;
  stats: DpStats;
}

interface Node {
  total: number;
  state: unknown;
  parent: Node | null;
  config: number;
  /** Position among the level's children: (parent position, configuration) in lexicographic order. */
  order: number;
}

/** Cuts `xs` into at most `n` contiguous chunks of near-equal size, in order. */
function chunks<T>(xs: readonly T[], n: number): T[][] {
  const k = Math.max(1, Math.min(n, xs.length));
  const out: T[][] = [];
  for (let i = 0; i < k; i++) out.push(xs.slice(Math.floor((i * xs.length) / k), Math.floor(((i + 1) * xs.length) / k)));
  return out;
}

const inline: DpMap = async (tasks) => tasks.map(runDpTask);

/**
 * Levels with fewer env steps than this run in this thread, not on the map: a round trip to a worker
 * (≈ 0.2 ms, `experiments/pool.ts`) plus cloning the snapshots both ways costs more than it saves on a
 * level of a few fast-tier epochs (≈ 2–5 µs each; `paper` at one decision point per epoch: 25 steps a
 * level, 1.3 s of CPU in one thread against 3–4 s through a 2-worker pool). The answer is the same.
 */
const INLINE_BELOW_STEPS = 1000;

export async function solveDp(pr: OracleProblem, o: DpOptions = {}): Promise<DpSolution> {
  const every = o.every ?? DEFAULT_EVERY;
  const maxStates = o.maxStates ?? 4096;
  if (!Number.isInteger(maxStates) || maxStates < 1) throw new Error(`oracle: maxStates must be a whole number ≥ 1, got ${maxStates}`);
  const map = o.map ?? inline;
  const workers = Math.max(1, o.workers ?? 1);
  const points = decisionPoints(pr, every);
  const J = points.length;
  const K = pr.configs.length;

  // Steady segment rewards: each configuration held from the reset.
  const runs = (await map(pr.configs.map((config) => ({ kind: 'oracle-constant' as const, problem: pr, config })))) as ConstantRunResult[];
  const steady: number[][] = [];
  for (let j = 0; j < J; j++) {
    const [a, b] = segmentRange(points, pr.horizon, j);
    steady.push(runs.map((r) => {
      let s = 0;
      for (let t = a; t < b; t++) s += r.rewards[t]!;
      return s;
    }));
  }

  const ev = { episodes: K, phaseSims: 0, steps: K * pr.horizon, snapshots: 1, restores: 0 };
  const start = initialState(pr);
  let level: Node[] = [{ total: 0, state: start.state, parent: null, config: -1, order: 0 }];
  const exploredMax = new Array<number>(J).fill(-Infinity);
  let merged = 0, pruned = 0, boundExceeded = 0, tasks = runs.length, maxLevel = 1, sumLevel = 0;
  let best: Node | undefined;
  for (let j = 0; j < J; j++) {
    const last = j === J - 1;
    const range = segmentRange(points, pr.horizon, j);
    const small = level.length * K * (range[1] - range[0]) < INLINE_BELOW_STEPS;
    const parts = chunks(level, small ? 1 : workers);
    const results = (await (small ? inline : map)(parts.map((nodes) => ({
      kind: 'oracle-dp-expand' as const, problem: pr, range, nodes: nodes.map((n) => ({ total: n.total, state: n.state })), withState: !last,
    })))) as DpExpandResult[];
    tasks += parts.length;
    const children = results.flatMap((r) => r.children);
    if (children.length !== level.length * K) throw new Error(`oracle: expected ${level.length * K} children at decision point ${j}, got ${children.length}`);
    ev.phaseSims += children.length;
    ev.steps += results.reduce((s, r) => s + r.steps, 0);
    ev.restores += children.length;
    if (!last) ev.snapshots += children.length;
    const next = new Map<string, Node>();
    children.forEach((ch, i) => {
      const parent = level[Math.floor(i / K)]!;
      const k = i % K;
      if (ch.seg > exploredMax[j]!) exploredMax[j] = ch.seg;
      if (ch.seg > steady[j]![k]!) boundExceeded++;
      const node: Node = { total: ch.total, state: ch.state, parent, config: pr.configs[k]!, order: i };
      if (last) {
        if (!best || ch.total > best.total) best = node;
        return;
      }
      const seen = next.get(ch.key);
      if (seen) merged++;
      if (!seen || ch.total > seen.total) next.set(ch.key, node);
    });
    for (const n of level) n.state = null; // expanded: only the back-pointers are needed from here on
    if (last) break;
    let kept = [...next.values()];
    if (kept.length > maxStates) {
      // Not exact any more: keep the best totals (ties: the lexicographically smaller schedule).
      kept.sort((x, y) => y.total - x.total || x.order - y.order);
      pruned += kept.length - maxStates;
      kept = kept.slice(0, maxStates);
    }
    level = kept.sort((x, y) => x.order - y.order);
    maxLevel = Math.max(maxLevel, level.length);
    sumLevel += level.length;
  }
  if (!best) throw new Error('oracle: the dynamic search found no schedule');

  const schedule: number[] = [];
  for (let n: Node | null = best; n && n.parent; n = n.parent) schedule.push(n.config);
  schedule.reverse();
  const changes: [number, number][] = [];
  schedule.forEach((c, j) => { if (j === 0 || c !== schedule[j - 1]) changes.push([points[j]!, c]); });
  // a change from the configuration the env starts in is a switch too (the first entry is one unless
  // it keeps that configuration; with no starting configuration known, it is not counted)
  const switches = changes.length - (start.config === null || changes[0]?.[1] === start.config ? 1 : 0);

  let steadyBound = 0, bound = 0, magnitude = 0;
  for (let j = 0; j < J; j++) {
    const s = Math.max(...steady[j]!);
    const u = Math.max(s, exploredMax[j]!);
    steadyBound += s;
    bound += u;
    magnitude += Math.abs(u);
  }
  // Both the search's totals and the bound are sums of `horizon` rounded additions: each is within
  // horizon·ε·Σ|terms| of its exact value, so this allowance makes the bound ≥ the score exactly.
  bound += 2 * pr.horizon * Number.EPSILON * magnitude;

  return {
    points, schedule, actions: gridActions(points, pr.horizon, schedule), score: best.total,
    spaceLog10: J * Math.log10(K), evaluations: ev, tasks,
    stats: {
      every, decisionPoints: J, maxStates: maxLevel, meanStates: J > 1 ? (1 + sumLevel) / J : 1, merged, exact: pruned === 0, pruned,
      bound, steadyBound, boundExceeded, changes,
    },
    switches,
  };
}
