/**
 * The two exhaustive searches of the oracle, as pure functions of an {@link OracleProblem} (each builds
 * its own env, so each can run in a worker thread):
 *
 * * `staticConfigRun(problem, c)`: one whole episode holding configuration c; returns the reward of
 *   every phase. The static oracle runs it for every configuration.
 * * `searchSubtree(problem, prefix)`: the dynamic oracle's tree search below a fixed prefix of
 *   per-phase configurations. Depth-first over phases; at each node the env's state is snapshotted once
 *   (`getState`) and restored (`setState`) before each further child, so every prefix is simulated once
 *   (prefix sharing): |C| + |C|² + … + |C|^P phase simulations instead of P·|C|^P.
 * * `bruteForce(problem)`: every schedule from the reset, no sharing (the reference the tests compare to).
 *
 * Exactness and determinism: a schedule's total is accumulated step by step from the reset
 * (`total += reward`), in the same order in every search, so the same schedule has a bit-identical
 * total in the tree search, in brute force and in a replay, whichever thread runs it. Ties are broken
 * towards the lexicographically smallest schedule (configurations in ascending order), so the answer
 * does not depend on how the tree is split between workers.
 */
import type { Env } from '../../env/core/env.js';
import { buildEnv, phaseRange, type OracleProblem } from './problem.js';

export interface StaticConfigResult {
  config: number;
  /** Σ reward over each phase (accumulated from 0 within the phase). */
  phaseRewards: number[];
  /** Σ reward over the episode (accumulated step by step). */
  total: number;
  steps: number;
}

export interface SubtreeResult {
  prefix: number[];
  /** The best complete schedule below the prefix, and its total. */
  best: number[];
  total: number;
  /** Complete schedules evaluated (leaves). */
  leaves: number;
  /** Phases simulated (tree edges, including the prefix's). */
  phaseSims: number;
  steps: number;
  /** getState/setState calls. */
  snapshots: number;
  restores: number;
}

function startEpisode(pr: OracleProblem): Env<unknown, number> {
  const env = buildEnv(pr.envSpec);
  env.reset({ seed: pr.seed });
  return env;
}

function requireSnapshots(env: Env<unknown, number>): { get: () => unknown; set: (s: unknown) => void } {
  const get = env.getState?.bind(env);
  const set = env.setState?.bind(env);
  if (!get || !set) throw new Error(`oracle: ${env.spec?.id ?? 'the env'} has no getState/setState`);
  return { get, set };
}

export function staticConfigRun(pr: OracleProblem, config: number): StaticConfigResult {
  const env = startEpisode(pr);
  try {
    const phaseRewards: number[] = [];
    let total = 0;
    let steps = 0;
    for (let p = 0; p < pr.phaseStarts.length; p++) {
      const [a, b] = phaseRange(pr, p);
      let s = 0;
      for (let t = a; t < b; t++) {
        const r = env.step(config).reward;
        s += r;
        total += r;
        steps++;
      }
      phaseRewards.push(s);
    }
    return { config, phaseRewards, total, steps };
  } finally {
    env.close();
  }
}

/** Runs the steps of phase p with configuration c, adding each reward to `total`. */
function runPhase(env: Env<unknown, number>, pr: OracleProblem, p: number, c: number, total: number): number {
  const [a, b] = phaseRange(pr, p);
  for (let t = a; t < b; t++) total += env.step(c).reward;
  return total;
}

export function searchSubtree(pr: OracleProblem, prefix: readonly number[]): SubtreeResult {
  const P = pr.phaseStarts.length;
  if (prefix.length > P) throw new Error(`oracle: prefix of ${prefix.length} phases for a ${P}-phase problem`);
  const env = startEpisode(pr);
  const snap = requireSnapshots(env);
  const res: SubtreeResult = { prefix: [...prefix], best: [], total: -Infinity, leaves: 0, phaseSims: 0, steps: 0, snapshots: 0, restores: 0 };
  try {
    let total = 0;
    for (let p = 0; p < prefix.length; p++) {
      total = runPhase(env, pr, p, prefix[p]!, total);
      res.phaseSims++;
      const [a, b] = phaseRange(pr, p);
      res.steps += b - a;
    }
    const seq = [...prefix];
    const leaf = (t: number): void => {
      res.leaves++;
      if (t > res.total || res.best.length === 0) {
        res.total = t;
        res.best = seq.slice();
      }
    };
    const dfs = (p: number, t0: number): void => {
      if (p === P) return leaf(t0);
      const [a, b] = phaseRange(pr, p);
      const state = pr.configs.length > 1 ? snap.get() : undefined;
      if (state !== undefined) res.snapshots++;
      for (let i = 0; i < pr.configs.length; i++) {
        if (i > 0) {
          snap.set(state);
          res.restores++;
        }
        const c = pr.configs[i]!;
        seq[p] = c;
        const t = runPhase(env, pr, p, c, t0);
        res.phaseSims++;
        res.steps += b - a;
        dfs(p + 1, t);
      }
      seq.length = p;
    };
    dfs(prefix.length, total);
    return res;
  } finally {
    env.close();
  }
}

/** Every schedule from the reset, without prefix sharing (P·|C|^P phase simulations). */
export function bruteForce(pr: OracleProblem): { best: number[]; total: number; leaves: number; steps: number } {
  const P = pr.phaseStarts.length;
  const K = pr.configs.length;
  const idx = new Array<number>(P).fill(0);
  let best: number[] = [];
  let bestTotal = -Infinity;
  let leaves = 0;
  let steps = 0;
  for (;;) {
    const seq = idx.map((i) => pr.configs[i]!);
    const env = startEpisode(pr);
    let total = 0;
    for (let p = 0; p < P; p++) {
      total = runPhase(env, pr, p, seq[p]!, total);
      const [a, b] = phaseRange(pr, p);
      steps += b - a;
    }
    env.close();
    leaves++;
    if (total > bestTotal || best.length === 0) {
      bestTotal = total;
      best = seq;
    }
    let d = P - 1;
    while (d >= 0 && idx[d] === K - 1) idx[d--] = 0;
    if (d < 0) break;
    idx[d]! += 1;
  }
  return { best, total: bestTotal, leaves, steps };
}

/** Runs a schedule from the reset; returns its rewards (for the static oracle's replayed score). */
export function runSchedule(pr: OracleProblem, schedule: readonly number[]): { rewards: number[]; total: number } {
  const env = startEpisode(pr);
  try {
    const rewards: number[] = [];
    let total = 0;
    for (let p = 0; p < pr.phaseStarts.length; p++) {
      const [a, b] = phaseRange(pr, p);
      for (let t = a; t < b; t++) {
        const r = env.step(schedule[p]!).reward;
        rewards.push(r);
        total += r;
      }
    }
    return { rewards, total };
  } finally {
    env.close();
  }
}
