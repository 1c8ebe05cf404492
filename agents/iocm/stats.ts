/**
 * The per-epoch statistics of the IOcm manager (`docs/iocm-policy.md` §2), computed from the
 * raw counters the real manager reads (`EpochCounters`, `env/sim/counters.ts`), nothing else.
 *
 * | stat | formula (§2) |
 * |---|---|
 * | empty | e0 = max(0, nW·C − Wk)/C; e = e0 − borrowed; if e < 0: borrowed := −e, e := 0 |
 * | effectiveIoRatio | Wk / C |
 * | overallIoRatio | U / T, exactly 0 → 1e−7 |
 * | avgBpp | floor(HB / HP) if HP > 0 else 1 |
 * | vmIdle | Σ_c I_c / T over the current VM cores |
 * | bpc | B / C |
 * | throughput | floor(HB / C) (log only) |
 *
 * Units (§2 notes, §7.1–7.2). The counters are in true units. In the intended mode U and I_c are used
 * as they come (ns), so overallIoRatio and vmIdle are in cores. In the bug-compatible mode the released
 * code's reading path is reproduced: U is read as kernel cputime in jiffies at `cputimeHz` (250) and I_c
 * as /proc/stat ticks at `idleTickHz` (USER_HZ 100, converted back to ns), both divided by
 * `cpuTimeDivisor` (2.5), over a denominator T in ns. Hence vmIdle = 0.4 × idle cores (quantised to
 * 0.04 per core per 0.1 s epoch) and overallIoRatio ≈ 1e−7 × vhost cores, so "> 0.5" never holds.
 *
 * Quantisation keeps a carry: the kernel counters are cumulative, and a delta of two quantised cumulative
 * values equals floor(residual + Δ) with the sub-tick residual carried to the next read. Per-core residuals
 * are keyed by core id; the VM cores are {W … N−1} under the stack discipline of §5, so the i-th VM core
 * of an epoch with W I/O cores is core W + i (the counters list VM cores in core-id order).
 */
import type { EpochCounters } from '../../env/index.js';
import type { IocmParams } from './params.js';

/** The derived statistics of one epoch (§2). */
export interface IocmStats {
  /** Idle I/O capacity in cores (0 … nW), after the borrowed correction. */
  empty: number;
  /** Cores' worth of vhost work, Wk / C. */
  effectiveIoRatio: number;
  /** vhost CPU time over wall time (cores when intended; see the unit note). */
  overallIoRatio: number;
  /** Integer bytes per packet, 1 when no packets. */
  avgBpp: number;
  /** Idle VM cores (× 0.4 in the bug-compatible mode). */
  vmIdle: number;
  /** Bytes per TSC cycle, the regret layer's objective. */
  bpc: number;
  /** floor(HB / C), logged by the original, read by nothing. */
  throughput: number;
}

/** State the statistics carry from one read to the next (serialisable). */
export interface StatsCarry {
  /** The "borrowed" correction of `empty` (dead with emptyClamp, §2 notes). */
  borrowed: number;
  /** Sub-jiffy remainder of the vhost CPU-time counter, ns. */
  cputimeResidualNs: number;
  /** Sub-tick remainder of each core's idle counter, ns, keyed by core id. */
  idleResidualNs: Record<string, number>;
}

export function initialCarry(): StatsCarry {
  return { borrowed: 0, cputimeResidualNs: 0, idleResidualNs: {} };
}

/** A cumulative counter read in whole ticks: the ticks this delta adds, and the new sub-tick residual. */
export function quantise(deltaNs: number, residualNs: number, tickNs: number): { ticks: number; residualNs: number } {
  const total = residualNs + Math.max(0, deltaNs);
  const ticks = Math.floor(total / tickNs);
  return { ticks, residualNs: total - ticks * tickNs };
}

/** `empty` with the borrowed correction (§2): returns the value and the new borrowed amount. */
export function emptyCapacity(
  nW: number, C: number, Wk: number, borrowed: number, clamp: boolean,
): { empty: number; borrowed: number } {
  const raw = (nW * C - Wk) / C;
  const e0 = clamp ? Math.max(0, nW * C - Wk) / C : raw;
  const e = e0 - borrowed;
  if (e < 0) return { empty: 0, borrowed: -e };
  return { empty: e, borrowed };
}

/** vhost CPU time as the manager reads it, in its numerator unit (ns intended; jiffies/2.5 released). */
function cpuTimeRead(U: number, p: IocmParams, carry: StatsCarry): number {
  if (p.cputimeHz > 0) {
    const q = quantise(U, carry.cputimeResidualNs, 1e9 / p.cputimeHz);
    carry.cputimeResidualNs = q.residualNs;
    return q.ticks / p.cpuTimeDivisor;
  }
  return U / p.cpuTimeDivisor;
}

/** One core's idle time as read from /proc/stat and converted to ns, then ÷ cpuTimeDivisor. */
function idleRead(coreId: number, I: number, p: IocmParams, carry: StatsCarry): number {
  if (p.idleTickHz > 0) {
    const tick = 1e9 / p.idleTickHz;
    const key = String(coreId);
    const q = quantise(I, carry.idleResidualNs[key] ?? 0, tick);
    carry.idleResidualNs[key] = q.residualNs;
    return (q.ticks * tick) / p.cpuTimeDivisor;
  }
  return I / p.cpuTimeDivisor;
}

/**
 * Computes the §2 statistics of one epoch. Returns the statistics and the next carry (the input carry is
 * not modified, so the caller owns its state).
 */
export function computeStats(
  c: EpochCounters, p: IocmParams, carryIn: StatsCarry,
): { stats: IocmStats; carry: StatsCarry } {
  const carry: StatsCarry = {
    borrowed: carryIn.borrowed,
    cputimeResidualNs: carryIn.cputimeResidualNs,
    idleResidualNs: { ...carryIn.idleResidualNs },
  };
  const C = c.tscCycles, T = c.wallNs;
  if (!(C > 0) || !(T > 0)) throw new Error(`iocm: counters need tscCycles > 0 and wallNs > 0 (got C=${C}, T=${T})`);

  const e = emptyCapacity(c.workerThreads, C, c.workerWorkCycles, carry.borrowed, p.emptyClamp);
  carry.borrowed = e.borrowed;

  let overall = cpuTimeRead(c.vhostCpuNs, p, carry) / T;
  if (overall === 0) overall = p.overallZeroFloor; // TP guards its later division by it

  let idle = 0;
  c.vmCoreIdleNs.forEach((I, i) => {
    idle += idleRead(c.ioCores + i, I, p, carry);
  });

  const stats: IocmStats = {
    empty: e.empty,
    effectiveIoRatio: c.workerWorkCycles / C,
    overallIoRatio: overall,
    // Python 2 integer division of two integer counters.
    avgBpp: c.handledPackets > 0 ? Math.floor(c.handledBytes / c.handledPackets) : p.noPacketsAvgBpp,
    vmIdle: idle / T,
    bpc: c.vqBytes / C,
    throughput: Math.floor(c.handledBytes / C),
  };
  return { stats, carry };
}

/** B / C of one trial sample (§4.4). */
export function bytesPerCycle(c: EpochCounters): number {
  if (!(c.tscCycles > 0)) throw new Error(`iocm: counters need tscCycles > 0 (got ${c.tscCycles})`);
  return c.vqBytes / c.tscCycles;
}
