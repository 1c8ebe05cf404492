/**
 * Kick-to-service latency (docs/model.md §10): for every message a guest posts to its TX ring, the time
 * from the post (followed at once by the kick when the host asked for one; a polled ring gets no kick)
 * until a baseline vhost thread's handler or a side-core worker's visit starts servicing it. Kept per VM
 * as a sum, a count and a log-binned histogram in typed arrays of the simulator's state, so recording a
 * sample allocates nothing and snapshots stay exact.
 */
import { LogBins } from './log-bins.js';

/**
 * Histogram bins: 5 % wide from 10 ns (370 bins reach 0.68 s; longer waits fall in the last bin), so a
 * p99 is within 2.5 % and the per-VM histograms stay small in every snapshot (counts as Uint32).
 */
export const KS_BASE_NS = 10, KS_RATIO = 1.05, KS_BINS = 370;
const KS_HIST = new LogBins(KS_BASE_NS, KS_RATIO, KS_BINS);
/** Slots per VM of the accumulator: Σ wait (ns), samples. */
export const KS_SUM = 0, KS_N = 1, NKS = 2;

/** The histogram bin of a wait of `ns`. */
export function ksBin(ns: number): number {
  return KS_HIST.bin(ns);
}

/** Kick-to-service of one VM or the host over a window: mean and p99 (µs) and samples per second. */
export interface KickToService {
  mean: number;
  p99: number;
  perSec: number;
}

/** Quantile q (geometric bin centre, ns) of the VMs `vms` of a per-VM histogram array with n samples in all. */
function quantile(hist: Uint32Array, vms: readonly number[], n: number, q: number): number {
  const target = q * n;
  let cum = 0;
  for (let b = 0; b < KS_BINS; b++) {
    for (const v of vms) cum += hist[v * KS_BINS + b]!;
    if (cum >= target) return KS_BASE_NS * Math.pow(KS_RATIO, b + 0.5);
  }
  return KS_BASE_NS * Math.pow(KS_RATIO, KS_BINS);
}

/** Kick-to-service of VMs `vms` from the accumulators (`acc`: NKS per VM; `hist`: KS_BINS per VM); NaN without samples. */
export function kickToService(acc: Float64Array, hist: Uint32Array, vms: readonly number[], secs: number): KickToService {
  let sum = 0, n = 0;
  for (const v of vms) { sum += acc[v * NKS + KS_SUM]!; n += acc[v * NKS + KS_N]!; }
  if (!(n > 0)) return { mean: NaN, p99: NaN, perSec: 0 };
  return { mean: sum / n / 1000, p99: quantile(hist, vms, n, 0.99) / 1000, perSec: n / secs };
}
