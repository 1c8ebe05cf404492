/**
 * Helpers around `HostSim` for static runs: run a scenario (or one of its phases) at a fixed number of
 * I/O cores, score a run by its workloads' application metric, and compute the statistics IOcm derives
 * from the raw counters (for display; the IOcm agent computes its own, bug-compatible ones).
 */
import type { EpochCounters, EpochMetrics } from './counters.js';
import { HostSim, type EpochReading, type HostSimOptions } from './host.js';
import type { Scenario, Workload } from './scenario.js';

export const EPOCH_NS = 100_000_000;

/** IOcm's per-epoch statistics (docs/iocm-policy.md §2), from one epoch's counters. */
export interface IocmStats {
  /** Idle I/O capacity in cores: (W·C − Wk)/C, floored at 0 (0 in the baseline). */
  empty: number;
  /** Σ worker work cycles / C: cores' worth of vhost work. */
  effectiveIoRatio: number;
  /** CPU of vhost threads / wall time, in cores. */
  overallIoRatio: number;
  /** Σ VM-core idle / wall time, in cores. */
  vmIdle: number;
  avgBytesPerPacket: number;
  /** IOcm's objective: bytes handled per TSC cycle. */
  bytesPerCycle: number;
  workers: number;
  ioCores: number;
}

export function iocmStats(c: EpochCounters): IocmStats {
  const C = c.tscCycles || 1;
  return {
    empty: c.ioCores > 0 ? Math.max(0, (c.ioCores * C - c.workerWorkCycles) / C) : 0,
    effectiveIoRatio: c.workerWorkCycles / C,
    overallIoRatio: c.vhostCpuNs / (c.wallNs || 1),
    vmIdle: c.vmCoreIdleNs.reduce((a, b) => a + b, 0) / (c.wallNs || 1),
    avgBytesPerPacket: c.handledPackets > 0 ? c.handledBytes / c.handledPackets : 1,
    bytesPerCycle: c.vqBytes / C,
    workers: c.workerThreads,
    ioCores: c.ioCores,
  };
}

/** The application metric a workload is judged by: transactions/s, Gbit/s, or guest compute cores. */
export function workloadMetric(w: Workload): 'transactionsPerSec' | 'throughputGbps' | 'guestComputeCores' | 'none' {
  if (w.cpuBound) return 'guestComputeCores';
  if (w.type === 'tcp_stream_tx' || w.type === 'tcp_stream_rx') return 'throughputGbps';
  if (w.outstanding > 0 || w.ratePerSec > 0) return 'transactionsPerSec';
  return 'none';
}

type PerVm = EpochMetrics['perVm'][number] & { guestComputeCores?: number };

/** Per-VM application metrics of a reading, each VM by its own workload's metric. */
export function perVmScores(m: EpochMetrics, workloads: readonly Workload[]): number[] {
  return workloads.map((w, v) => {
    const p = m.perVm[v] as PerVm | undefined;
    const k = workloadMetric(w);
    if (!p || k === 'none') return 0;
    return k === 'guestComputeCores' ? p.guestComputeCores ?? 0 : p[k];
  });
}

/**
 * One number per run for comparing configurations of the same phase: the geometric mean over the VMs
 * that have a metric of (VM metric / reference VM metric). With no reference, the plain sum of metrics.
 */
export function relativeScore(scores: readonly number[], reference: readonly number[]): number {
  let logSum = 0, n = 0;
  scores.forEach((s, i) => {
    const r = reference[i] ?? 0;
    if (r > 0) { logSum += Math.log(Math.max(s, 1e-12) / r); n++; }
  });
  return n > 0 ? Math.exp(logSum / n) : 1;
}

/** Scores within this factor of the best count as a tie (run-to-run noise of the detailed tier is ~1 %). */
export const BEST_X_TIE = 1.02;

/**
 * The best static I/O-core count from the scores of x = 0, 1, 2, …: the fewest cores whose score is
 * within `tie` of the top (an extra core for a gain inside the noise is not an improvement); 0 when no
 * score is positive.
 */
export function bestStaticX(scores: readonly number[], tie = BEST_X_TIE): number {
  const top = Math.max(...scores);
  if (!(top > 0)) return 0;
  return scores.findIndex((r) => r >= top / tie);
}

/** A scenario made of one of its phases only (to run a phase at steady state). */
export function phaseScenario(s: Scenario, phase: number, durationS?: number): Scenario {
  const p = s.phases[phase]!;
  const d = durationS ?? p.durationS;
  return { ...s, name: `${s.name}#${p.name}`, phases: [{ ...p, durationS: d }], durationS: d };
}

export interface StaticRun {
  totals: EpochReading;
  lastEpoch: EpochReading;
  epochs: number;
  sim: HostSim;
}

/** Runs a scenario at a fixed I/O-core count: `warmupS` unmeasured, then `durationS` in 100 ms epochs. */
export function runStatic(s: Scenario, opts: HostSimOptions & { durationS: number; warmupS?: number }): StaticRun {
  const sim = new HostSim(s, opts);
  const warm = opts.warmupS ?? 0;
  if (warm > 0) {
    sim.advance(warm * 1e9);
    sim.readEpoch();
    sim.resetTotals();
  }
  const epochs = Math.max(1, Math.round((opts.durationS * 1e9) / EPOCH_NS));
  let last: EpochReading | undefined;
  for (let e = 0; e < epochs; e++) {
    sim.advance(EPOCH_NS);
    last = sim.readEpoch();
  }
  return { totals: sim.readTotals(), lastEpoch: last!, epochs, sim };
}
