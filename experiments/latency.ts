/**
 * The one definition of a run's p99 latency used everywhere (`simulate`, run records, runs.csv,
 * summary.csv, summary.md): the mean of the per-epoch 99th-percentile latencies, each epoch weighted
 * by the transactions it completed. Epochs without transactions (a streaming phase, an idle VM set)
 * have no p99 and weigh nothing. The pooled percentile of all the run's transactions would need every
 * latency sample, which the per-epoch metrics do not keep; the plain mean of the epochs' p99s, used
 * before, let a handful of transactions in a streaming epoch (p99 ≈ 860 µs) count as much as an epoch
 * of 265,000 (p99 ≈ 55 µs), and disagreed with `simulate` by a factor of 2.7 on `paper`.
 */

/** How tables name the figure (column headers and notes). */
export const P99_HEADER = 'p99 (µs, tx-weighted)';
export const P99_DEFINITION = 'p99 latency: the per-epoch 99th percentiles averaged with each epoch\'s transactions as weights (tx-weighted; the figure `simulate` prints)';

/** Σ v·w / Σ w over the epochs with a finite value and a positive weight; NaN when there is none. */
export function txWeightedMean(values: readonly (number | boolean | null | undefined)[], weights: readonly (number | boolean | null | undefined)[]): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const w = weights[i];
    if (typeof v === 'number' && Number.isFinite(v) && typeof w === 'number' && w > 0) { s += v * w; sw += w; }
  }
  return sw > 0 ? s / sw : NaN;
}
