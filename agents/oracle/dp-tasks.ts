/**
 * The two kinds of work the cost-aware dynamic oracle (`dp.ts`) hands out, as pure functions of an
 * {@link OracleProblem} and plain data, so that they can run in worker threads:
 *
 * * `constantRun(problem, c)`: one episode holding configuration c from the reset; the reward of every
 *   step (for the upper bound: each segment's reward with no switch and no carried state but c's own).
 * * `expandNodes(problem, [a, b), nodes)`: from each node's snapshot, the segment [a, b) with every
 *   configuration; per (node, configuration) the new running total (the node's total plus each step's
 *   reward, in step order, so totals are bit-identical to a replay's), the segment's own reward sum,
 *   and (unless it is the last segment) the snapshot after it with its merge key (`future-key.ts`).
 *
 * Each thread keeps one env per problem and restores it from the snapshots (`setState`), so a task
 * costs no env construction; a restored env has a bit-identical future, so reuse changes no result.
 */
import type { Env } from '../../env/core/env.js';
import { futureKey } from './future-key.js';
import { buildEnv, type OracleProblem } from './problem.js';

export interface ConstantRunResult {
  config: number;
  /** The reward of every step of the episode. */
  rewards: number[];
}

/** A search node as a task carries it: the running total and the env snapshot. */
export interface DpNodeData {
  total: number;
  state: unknown;
}

export interface DpChild {
  /** The node's total plus each reward of the segment, added in step order. */
  total: number;
  /** The segment's rewards summed from 0 (for the bound). */
  seg: number;
  /** Snapshot after the segment and its merge key (null and '' on the last segment). */
  state: unknown;
  key: string;
}

export interface DpExpandResult {
  /** Node-major, configuration-minor: child i is node ⌊i/|C|⌋ with configuration i mod |C|. */
  children: DpChild[];
  steps: number;
}

let cached: { id: string; env: Env<unknown, number> } | undefined;

/** This thread's env for a problem, reset once (a later problem replaces it). */
function threadEnv(pr: OracleProblem): Env<unknown, number> {
  const id = JSON.stringify([pr.envSpec, pr.seed]);
  if (cached?.id !== id) {
    cached?.env.close();
    const env = buildEnv(pr.envSpec);
    env.reset({ seed: pr.seed });
    if (!env.getState || !env.setState) throw new Error(`oracle: ${pr.envSpec.id} has no getState/setState`);
    cached = { id, env };
  }
  return cached.env;
}

/** The snapshot right after the reset (the root of the search). */
/**
 * The env's state after the reset, and the configuration it starts in when its info says
 * (`info.ioCores`; null when it does not), so that a move on the first step counts as a switch.
 */
export function initialState(pr: OracleProblem): { state: unknown; config: number | null } {
  const env = buildEnv(pr.envSpec);
  try {
    const { info } = env.reset({ seed: pr.seed });
    if (!env.getState) throw new Error(`oracle: ${pr.envSpec.id} has no getState/setState`);
    return { state: env.getState(), config: typeof info.ioCores === 'number' ? info.ioCores : null };
  } finally {
    env.close();
  }
}

export function constantRun(pr: OracleProblem, config: number): ConstantRunResult {
  const env = buildEnv(pr.envSpec);
  try {
    env.reset({ seed: pr.seed });
    const rewards: number[] = [];
    for (let t = 0; t < pr.horizon; t++) rewards.push(env.step(config).reward);
    return { config, rewards };
  } finally {
    env.close();
  }
}

export function expandNodes(pr: OracleProblem, range: readonly [number, number], nodes: readonly DpNodeData[], withState: boolean): DpExpandResult {
  const env = threadEnv(pr);
  const [a, b] = range;
  const children: DpChild[] = [];
  for (const node of nodes) {
    for (const c of pr.configs) {
      env.setState!(node.state);
      let total = node.total;
      let seg = 0;
      for (let t = a; t < b; t++) {
        const r = env.step(c).reward;
        total += r;
        seg += r;
      }
      if (withState) {
        const state = env.getState!();
        children.push({ total, seg, state, key: futureKey(state) });
      } else children.push({ total, seg, state: null, key: '' });
    }
  }
  return { children, steps: nodes.length * pr.configs.length * (b - a) };
}
