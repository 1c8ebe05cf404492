/**
 * One builder of the epoch reading (`EpochCounters` + `EpochMetrics`) for both tiers. Each tier keeps
 * its own accumulators (the detailed tier in its state arrays, the fast tier in its state vector) and
 * hands their window totals here; every rate, share and derived counter is computed in one place, in
 * one order of summation, so the two tiers cannot drift apart in how a figure is defined.
 *
 * The order of every sum and division below is the fast tier's historical one (its readings, and so
 * every fast-tier result, are bit-identical to those built before this file existed).
 */
import type { EpochCounters, EpochMetrics, KickToServiceUs } from './sim/counters.js';

/** Cycles of the window by owner (`CYCLE_CATEGORIES`, same order). */
export interface WindowCycles {
  vmGuest: number; vmExit: number; vmContextSwitch: number; ioVhost: number;
  ioContextSwitch: number; ioWorkerWork: number; ioWorkerPoll: number; idle: number;
}

/**
 * Where a tier keeps the per-VM window totals: VM v's value of field f is `data[base + v·stride + f]`.
 * Latency sums are in ns, CPU and computation in cycles, goodput in bytes, the rest counts.
 */
export interface PerVmLayout {
  data: Float64Array;
  base: number;
  stride: number;
  good: number; txn: number; latSum: number; compute: number; cpu: number;
  kick: number; inj: number; eoi: number; hlt: number;
}

/** A window's totals, as either tier accumulates them. */
export interface WindowTotals {
  /** Window length in host cycles and in ns. */
  cycles: number;
  ns: number;
  ghz: number;
  ioCores: number;
  nVm: number;
  /** Application bytes delivered, transactions completed, Σ latency (ns), latency quantiles (µs). */
  goodBytes: number;
  transactions: number;
  latencySumNs: number;
  latencyP50Us: number;
  latencyP99Us: number;
  /** Exits by reason, interrupts, context switches (counts in the window). */
  kicks: number; injections: number; eois: number; hlts: number;
  interrupts: number; contextSwitches: number;
  /** Cycles of CPU-bound guest computation. */
  computeCycles: number;
  cycleSplit: WindowCycles;
  /** IOcm's byte and packet counters (vhost's handled chain bytes and packets). */
  handledBytes: number;
  handledPackets: number;
  /** Idle ns of each VM core, loops, empty polls and work cycles of each worker (already built). */
  vmCoreIdleNs: number[];
  workerLoops: number[];
  workerEmptyPolls: number[];
  workerWorkCyclesEach: number[];
  perVm: PerVmLayout;
  /** Every VM's index (the host-wide kick-to-service figure is over them). */
  allVms?: readonly number[];
  /** Kick-to-service latency over a set of VMs (docs/model.md §10), as the tier measures or estimates it; `secs` is the window's length as the rates above use it. */
  kickToService?: (vms: readonly number[], secs: number) => KickToServiceUs | null;
}

/** The reading's counters and metrics (with the optional fields both tiers fill). */
export type BuiltMetrics = EpochMetrics & { guestComputeCores: number; cycles: Record<string, number> };

export function buildReading(w: WindowTotals): { counters: EpochCounters; metrics: BuiltMetrics } {
  const x = w.ioCores, g = w.ghz, cyc = w.cycles, ns = w.ns, k = w.cycleSplit;
  const secs = ns / 1e9 || 1e-300;
  const cd = cyc || 1;
  let wkCounted = 0;
  for (let i = 0; i < w.workerWorkCyclesEach.length; i++) wkCounted += w.workerWorkCyclesEach[i]!;
  const counters: EpochCounters = {
    tscCycles: cyc,
    // baseline vhost threads' handler work plus the side-core workers' work
    workerWorkCycles: k.ioVhost + wkCounted,
    vqBytes: w.handledBytes,
    handledBytes: w.handledBytes,
    handledPackets: w.handledPackets,
    vhostCpuNs: (k.ioVhost + k.ioContextSwitch + k.ioWorkerWork + k.ioWorkerPoll) / g,
    wallNs: ns,
    vmCoreIdleNs: w.vmCoreIdleNs,
    workerThreads: x > 0 ? x : w.nVm,
    ioCores: x,
    workerLoops: w.workerLoops,
    workerEmptyPolls: w.workerEmptyPolls,
    workerWorkCyclesEach: w.workerWorkCyclesEach,
  };
  const txn = w.transactions;
  const exits = { io_kick: w.kicks / secs, irq_injection: w.injections / secs, eoi: w.eois / secs, hlt: w.hlts / secs };
  const pv = w.perVm, D = pv.data;
  const perVm = new Array<BuiltMetrics['perVm'][number] & { guestComputeCores: number }>(w.nVm);
  for (let v = 0; v < w.nVm; v++) {
    const o = pv.base + v * pv.stride;
    const t = D[o + pv.txn]!;
    perVm[v] = {
      throughputGbps: (D[o + pv.good]! * 8) / secs / 1e9,
      transactionsPerSec: t / secs,
      latencyUsMean: t > 0 ? D[o + pv.latSum]! / t / 1000 : NaN,
      guestComputeCores: D[o + pv.compute]! / cd,
      exitsByReason: { io_kick: D[o + pv.kick]! / secs, irq_injection: D[o + pv.inj]! / secs, eoi: D[o + pv.eoi]! / secs, hlt: D[o + pv.hlt]! / secs },
      cpuCores: D[o + pv.cpu]! / cd,
      ...(w.kickToService ? { kickToServiceUs: w.kickToService([v], secs) } : {}),
    };
  }
  const metrics: BuiltMetrics = {
    throughputGbps: (w.goodBytes * 8) / secs / 1e9,
    transactionsPerSec: txn / secs,
    latencyUs: txn > 0 ? { mean: w.latencySumNs / txn / 1000, p50: w.latencyP50Us, p99: w.latencyP99Us } : { mean: NaN, p50: NaN, p99: NaN },
    exitsPerSec: exits.io_kick + exits.irq_injection + exits.eoi + exits.hlt,
    exitsByReason: exits,
    interruptsPerSec: w.interrupts / secs,
    contextSwitchesPerSec: w.contextSwitches / secs,
    cpu: {
      vm: (k.vmGuest + k.vmExit + k.vmContextSwitch) / cd,
      io: (k.ioVhost + k.ioContextSwitch + k.ioWorkerWork + k.ioWorkerPoll) / cd,
      idle: k.idle / cd,
    },
    perVm,
    guestComputeCores: w.computeCycles / cd,
    cycles: {
      vmGuest: k.vmGuest, vmExit: k.vmExit, vmContextSwitch: k.vmContextSwitch, ioVhost: k.ioVhost,
      ioContextSwitch: k.ioContextSwitch, ioWorkerWork: k.ioWorkerWork, ioWorkerPoll: k.ioWorkerPoll, idle: k.idle,
    },
    ...(w.kickToService && w.allVms ? { kickToServiceUs: w.kickToService(w.allVms, secs) } : {}),
  };
  return { counters, metrics };
}
