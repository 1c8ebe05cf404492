/**
 * The decision grid of the cost-aware dynamic oracle: the steps at which it may change the
 * configuration. Every `every`-th step from 0, plus every phase start, so that each per-phase schedule
 * (the `oracle-phase` search space) is also a schedule on the grid and the dynamic oracle can never
 * score below it.
 */
import type { OracleProblem } from './problem.js';

/**
 * Default spacing of decision points, in epochs: every epoch. On the fast tier the search of `paper`
 * (1,200 decision points) takes 2.7 s of CPU, 16 s of wall time on a 2-core machine shared with a load
 * of 14–18 (`iocm-gym oracle --scenario paper`, docs/experiments.md), well inside the 60 s it is
 * allowed, so no coarser grid is needed there. The detailed tier needs a coarse one (`--every`).
 */
export const DEFAULT_EVERY = 1;

/** Sorted, distinct decision points in [0, horizon): multiples of `every` and the phase starts. */
export function decisionPoints(pr: OracleProblem, every: number): number[] {
  if (!Number.isInteger(every) || every < 1) throw new Error(`oracle: the decision grid needs a whole number of epochs ≥ 1, got ${every}`);
  const pts = new Set<number>();
  for (let t = 0; t < pr.horizon; t += every) pts.add(t);
  for (const s of pr.phaseStarts) if (s < pr.horizon) pts.add(s);
  return [...pts].sort((a, b) => a - b);
}

/** The step range [start, end) of segment j of a grid (from point j to the next, or the horizon). */
export function segmentRange(points: readonly number[], horizon: number, j: number): [number, number] {
  return [points[j]!, points[j + 1] ?? horizon];
}

/** The action log of a grid schedule (one configuration per segment). */
export function gridActions(points: readonly number[], horizon: number, schedule: readonly number[]): number[] {
  const out: number[] = [];
  for (let j = 0; j < points.length; j++) {
    const [a, b] = segmentRange(points, horizon, j);
    for (let t = a; t < b; t++) out.push(schedule[j]!);
  }
  return out;
}
