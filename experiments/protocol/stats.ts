/**
 * Statistics of the evaluation protocol, as deep-RL results are now judged (Agarwal et al., "Deep
 * Reinforcement Learning at the Edge of the Statistical Precipice", NeurIPS 2021, and its library
 * rliable; Henderson et al., "Deep Reinforcement Learning that Matters", AAAI 2018). Pure functions on
 * plain arrays; every random draw comes from a seeded PCG64, so the same inputs give the same intervals.
 *
 * A *score matrix* holds one agent's normalised scores: `scores[task][run]`, a task being a test
 * scenario and a run a training seed (for agents that are not trained, an evaluation seed). Tasks may
 * hold different numbers of runs.
 *
 * * IQM (interquartile mean): the mean of the middle half of all run × task scores. n scores sorted,
 *   ⌊n/4⌋ are cut from each end and the rest averaged — `scipy.stats.trim_mean(x, 0.25)`, which rliable's
 *   `aggregate_iqm` calls. Robust to a few outlier runs, unlike the mean, and far less noisy than the
 *   median with few runs.
 * * Mean: the mean over tasks of each task's mean over runs (rliable's `aggregate_mean`).
 * * Stratified bootstrap: each replicate resamples, within every task independently, as many runs as
 *   the task has, with replacement, and recomputes the aggregate; the 95 % interval is the 2.5th and
 *   97.5th percentile of the replicates (linear interpolation between order statistics, NumPy's
 *   default). Tasks are not resampled: the test scenarios are fixed, the training seeds are the random
 *   factor. With one run per task (or identical runs) every replicate equals the point estimate.
 */
import { Rng } from '../../env/core/rng.js';

/** One agent's scores: `scores[task][run]`. */
export type ScoreMatrix = readonly (readonly number[])[];

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Interquartile mean: sorted, ⌊n/4⌋ values cut from each end, the rest averaged (NaN when empty). */
export function iqm(xs: readonly number[]): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const sorted = Float64Array.from(xs).sort();
  const cut = Math.floor(n / 4);
  let s = 0;
  for (let i = cut; i < n - cut; i++) s += sorted[i]!;
  return s / (n - 2 * cut);
}

/** The q-quantile (q in [0, 1]) of sorted values, linearly interpolated (NumPy's default method). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q, lo = Math.floor(h), hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** IQM over every run of every task (the tasks' runs pooled). */
export function aggregateIqm(m: ScoreMatrix): number {
  return iqm(m.flat());
}

/** Mean over tasks of the mean over each task's runs. */
export function aggregateMean(m: ScoreMatrix): number {
  return mean(m.map((runs) => mean(runs)));
}

export interface Interval {
  /** The aggregate of the data itself. */
  point: number;
  /** The 2.5th and 97.5th percentiles of the bootstrap replicates (for a 95 % interval). */
  lo: number;
  hi: number;
}

export interface BootstrapOptions {
  /** Replicates (rliable's default: 2,000). */
  reps?: number;
  /** Seed of the PCG64 that draws the resamples. */
  seed?: number;
  /** Coverage of the interval (0.95). */
  level?: number;
}

export const DEFAULT_BOOTSTRAP_REPS = 2000;

/**
 * A stratified-bootstrap percentile interval of `aggregate` over a score matrix: runs resampled with
 * replacement within each task. Deterministic for a given seed.
 */
export function stratifiedBootstrap(m: ScoreMatrix, aggregate: (m: ScoreMatrix) => number, o: BootstrapOptions = {}): Interval {
  const reps = o.reps ?? DEFAULT_BOOTSTRAP_REPS, level = o.level ?? 0.95;
  if (!(Number.isInteger(reps) && reps >= 1)) throw new Error(`bootstrap: reps must be a positive integer, got ${reps}`);
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap: level must lie in (0, 1), got ${level}`);
  const point = aggregate(m);
  if (m.length === 0 || m.some((runs) => runs.length === 0)) return { point, lo: NaN, hi: NaN };
  const rng = Rng.fromSeed(o.seed ?? 0);
  const sample: number[][] = m.map((runs) => new Array<number>(runs.length));
  const values = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    for (let t = 0; t < m.length; t++) {
      const runs = m[t]!, row = sample[t]!;
      for (let i = 0; i < runs.length; i++) row[i] = runs[rng.integers(0, runs.length)]!;
    }
    values[r] = aggregate(sample);
  }
  values.sort();
  const tail = (1 - level) / 2;
  return { point, lo: quantileSorted(values, tail), hi: quantileSorted(values, 1 - tail) };
}

export interface WinTieLoss {
  win: number;
  tie: number;
  loss: number;
}

/**
 * Per task, the agent's score against a reference's: a tie when they differ by at most `relTol` of the
 * reference's magnitude, else a win or a loss. Tasks where either is missing (NaN) are not counted.
 */
export function winTieLoss(agent: readonly number[], reference: readonly number[], relTol: number): WinTieLoss {
  if (agent.length !== reference.length) throw new Error(`winTieLoss: ${agent.length} agent scores but ${reference.length} reference scores`);
  if (!(relTol >= 0)) throw new Error(`winTieLoss: the tie tolerance must be ≥ 0, got ${relTol}`);
  const out: WinTieLoss = { win: 0, tie: 0, loss: 0 };
  agent.forEach((a, i) => {
    const r = reference[i]!;
    if (Number.isNaN(a) || Number.isNaN(r)) return;
    const d = a - r;
    if (Math.abs(d) <= relTol * Math.abs(r)) out.tie++;
    else if (d > 0) out.win++;
    else out.loss++;
  });
  return out;
}

/** Per task the largest score of any of the candidates (`candidates[c][task]`): the best in hindsight. */
export function bestInHindsight(candidates: readonly (readonly number[])[]): number[] {
  if (candidates.length === 0) return [];
  const n = candidates[0]!.length;
  return Array.from({ length: n }, (_, t) => Math.max(...candidates.map((c) => c[t]!)));
}

/** Changes of the I/O-core count per minute of simulated time. */
export function switchesPerMinute(reconfigurations: number, steps: number, epochMs: number): number {
  const minutes = (steps * epochMs) / 60_000;
  return minutes > 0 ? reconfigurations / minutes : NaN;
}
