/**
 * Test fixtures for the IOcm agent: statistics builders for the §9 test vectors, and a small synthetic host
 * that turns the current I/O-core count and a scripted load into plausible `EpochCounters`
 * (8 cores at 2.2 GHz, 0.1 s epochs, 6 devices), for the scenario timing tests.
 */
import type { EpochCounters } from '../../../env/sim/counters.js';
import type { Info } from '../../../env/core/env.js';
import type { Agent } from '../../../agents/agent.js';
import { IocmPolicy, type IocmPolicyState, type IocmDecision, type IocmStats, type IocmMove } from '../../../agents/iocm/index.js';

export const C = 2.2e8; // TSC cycles per 0.1 s at 2.2 GHz
export const T = 1e8; // ns per epoch

/** Neutral statistics: no start, no stop, no add, no remove, no batching. */
export function stats(over: Partial<IocmStats> = {}): IocmStats {
  return { empty: 0.5, effectiveIoRatio: 0, overallIoRatio: 0, avgBpp: 9000, vmIdle: 0.5, bpc: 0.4, throughput: 0, ...over };
}

/** Edits a policy's state in place through getState/setState. */
export function edit(policy: IocmPolicy, f: (s: IocmPolicyState) => void): void {
  const s = policy.getState();
  f(s);
  policy.setState(s);
}

export const ALL_MOVES: IocmMove[] = [
  'start_shared_worker', 'stop_shared_worker', 'add_io_core', 'remove_io_core', 'batching_remove_io_core',
];

/**
 * A request history that reads `n × T, flag false` *after* the next beginEpoch (the §9 vectors give states
 * after beginEpoch): stored with flag true, so beginEpoch only clears the flag.
 */
export const fullHistory = (n = 20): { list: boolean[]; flag: boolean } => ({ list: Array<boolean>(n).fill(true), flag: true });

/** Runs one decision epoch with the same view for W and nW (side-core: nW = W). */
export function epoch(policy: IocmPolicy, s: IocmStats, W: number, extra: { nW?: number; max?: number } = {}): IocmDecision {
  return policy.onStats(s, {
    ioCores: W,
    workerThreads: extra.nW ?? (W > 0 ? W : 6),
    ...(extra.max === undefined ? {} : { maxIoCores: extra.max }),
  });
}

/** Feeds a whole trial (grace + measured samples) and returns the final decision. */
export function trial(policy: IocmPolicy, samples: number[]): IocmDecision {
  let d: IocmDecision | undefined;
  for (const x of samples) d = policy.onTrialSample(x);
  if (d === undefined) throw new Error('no samples');
  return d;
}

/** Builds counters directly (for the §2 arithmetic tests). */
export function counters(over: Partial<EpochCounters> = {}): EpochCounters {
  const W = over.ioCores ?? 2;
  return {
    tscCycles: C, workerWorkCycles: 0, vqBytes: 0, handledBytes: 0, handledPackets: 0, vhostCpuNs: 0, wallNs: T,
    vmCoreIdleNs: Array<number>(8 - W).fill(0), workerThreads: W, ioCores: W,
    workerLoops: Array<number>(W).fill(0), workerEmptyPolls: Array<number>(W).fill(0),
    workerWorkCyclesEach: Array<number>(W).fill(0), ...over,
  };
}

/** The workload of one epoch, as a function of the I/O cores in place. */
export interface Load {
  /** Cores' worth of vhost work offered (served up to W cores in side-core mode). */
  ioDemand: number;
  /** Cores' worth of VM work (idle = VM cores − demand). */
  vmDemand: number;
  /** Bytes per TSC cycle moved through the virtqueues. */
  bpc: number;
  /** Bytes per packet (0 = no packets). */
  bytesPerPacket: number;
}

/** A synthetic host in the SideCore env's absolute action mode. */
export class FakeHost {
  ioCores = 0;
  steps = 0;

  constructor(
    readonly script: (step: number, W: number) => Load,
    readonly opts: { cores: number; devices: number; maxIoCores: number } = { cores: 8, devices: 6, maxIoCores: 4 },
  ) {}

  reset(): Info {
    this.ioCores = 0;
    this.steps = 0;
    return { ioCores: 0, maxIoCores: this.opts.maxIoCores };
  }

  /** Applies the absolute action and runs one 0.1 s interval. */
  step(target: number): Info {
    if (!Number.isInteger(target) || target < 0 || target > this.opts.maxIoCores) throw new Error(`bad action ${target}`);
    this.ioCores = target;
    this.steps += 1;
    const W = this.ioCores;
    const l = this.script(this.steps, W);
    const served = W > 0 ? Math.min(l.ioDemand, W) : l.ioDemand;
    const vmCores = W > 0 ? this.opts.cores - W : this.opts.cores;
    // Baseline vhost threads share the VM cores; side-core workers poll their cores at 100 %.
    const busy = l.vmDemand + (W > 0 ? 0 : served);
    const idlePerCore = (Math.max(0, vmCores - busy) / vmCores) * T;
    const B = Math.round(l.bpc * C);
    const c: EpochCounters = {
      tscCycles: C,
      workerWorkCycles: served * C,
      vqBytes: B,
      handledBytes: B,
      handledPackets: l.bytesPerPacket > 0 ? Math.floor(B / l.bytesPerPacket) : 0,
      vhostCpuNs: (W > 0 ? W : served) * T,
      wallNs: T,
      vmCoreIdleNs: Array<number>(vmCores).fill(idlePerCore),
      workerThreads: W > 0 ? W : this.opts.devices,
      ioCores: W,
      workerLoops: Array<number>(W).fill(1000),
      workerEmptyPolls: Array<number>(W).fill(0),
      workerWorkCyclesEach: Array<number>(W).fill(served / Math.max(W, 1) * C),
    };
    return { counters: c, ioCores: W, maxIoCores: this.opts.maxIoCores };
  }
}

export interface TraceRow {
  /** Env step index (1 = the first step; 0 = the reset call). */
  step: number;
  target: number;
  event: string;
  move: IocmMove | null;
  epoch: number;
}

/** Drives an IOcm agent on the fake host for `steps` env steps; returns one row per act call. */
export function run(
  agent: Agent<unknown, number> & { lastDecision: IocmDecision | null }, host: FakeHost, steps: number,
): TraceRow[] {
  const rows: TraceRow[] = [];
  agent.reset?.();
  let info = host.reset();
  for (let i = 0; i <= steps; i++) {
    const a = agent.act(undefined, info);
    const d = i === 0 ? null : agent.lastDecision;
    rows.push({ step: i, target: a, event: d?.event ?? 'reset', move: d?.move ?? null, epoch: d?.epoch ?? 0 });
    info = host.step(a);
  }
  return rows;
}
