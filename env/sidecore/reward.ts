/**
 * SideCore rewards.
 *
 * `app` (default): the application performance of the epoch, normalised so that different workloads
 * add up. Each active VM scores its epoch metric divided by the *ideal* value of the same metric — what
 * the VM would get with zero virtualisation overhead (bare-metal guest costs, no exits, no vhost) and
 * its fair share of the NIC — and the reward is the mean score over the active VMs (idle VMs do not
 * count; a host with no active VM scores 0). Scores are therefore in [0, 1] up to noise, comparable
 * between phases, and the best configuration of a phase is the one with the highest reward.
 *   * streams (TCP_STREAM TX/RX): Gbit/s ÷ (line-rate TCP goodput of the VM's NIC (VM i uses NIC
 *     i mod nics) ÷ the VMs streaming in the same direction on that NIC — links are full duplex, so a
 *     sender and a receiver do not share a line)
 *   * transactional (RR, memcached, apache): closed loop k outstanding: transactions/s ÷
 *     min(k ÷ ideal round trip, vCPUs × clock ÷ guest cycles per transaction); open loop: ÷ offered rate
 *   * CPU-bound: guest compute (cores of useful guest work) ÷ vCPUs
 * `bpc`: IOcm's own objective, bytes moved through the virtqueues per host cycle (B/C).
 * `app-latency`: `app` minus `sloPenalty` × max(0, p99/sloUs − 1) when transactions completed.
 * With every kind, `switchPenalty` is subtracted on a step that changes the I/O-core count
 * (`withSwitchPenalty`): a price the caller sets on switching itself (the measurement a real manager
 * loses, the risk of a transient the model underestimates), on top of the transient the host models.
 */
import { DEFAULT_COSTS, type Costs } from '../sim/costs.js';
import type { EpochCounters, EpochMetrics } from '../sim/counters.js';
import type { Scenario, Workload } from '../sim/scenario.js';

export type RewardKind = 'app' | 'bpc' | 'app-latency';

const STREAMS = new Set(['tcp_stream_tx', 'tcp_stream_rx']);

export function isTransactional(w: Workload): boolean {
  return w.type !== 'cpu' && (w.outstanding > 0 || w.ratePerSec > 0);
}

/** Guest cycles one transaction needs on a bare-metal-like guest (two packets, two syscalls, copies, app). */
function guestCyclesPerTransaction(w: Workload, c: Costs): number {
  const bytes = w.requestBytes + w.responseBytes;
  return c.guestRxPerPacketCycles + c.guestTxPerPacketCycles + 2 * c.guestSyscallCycles + c.guestPerByteCycles * bytes + w.appCycles;
}

/**
 * The ideal metric of each VM in each phase (`ideal[phase][vm]`, 0 for idle VMs): the normaliser of the
 * `app` reward, from the scenario and the cost table only (no simulation), so both tiers share it.
 */
export function idealPerformance(s: Scenario, costs: Costs = DEFAULT_COSTS): Float64Array[] {
  const ghz = s.host.ghz;
  const nics = s.host.nics;
  const nicGoodputGbps = s.host.nicGbps * (costs.mssBytes / (costs.mssBytes + costs.frameOverheadBytes));
  const rows: Float64Array[] = [];
  for (const p of s.phases) {
    // Streaming VMs per NIC and direction: they share that NIC's line rate in that direction.
    const sharing = (vm: number, type: string): number => p.workloads.filter((w, v) => w.type === type && v % nics === vm % nics).length;
    // typed rows in a pushed array: one hidden class whether the ideals are integers or fractions (see
    // the note in env/sim/scenario.ts)
    rows.push(Float64Array.from(p.workloads, (w, vm) => {
      const vcpus = s.vms[vm]?.vcpus ?? 1;
      if (STREAMS.has(w.type)) return nicGoodputGbps / sharing(vm, w.type);
      if (w.type === 'cpu') return vcpus;
      if (!isTransactional(w)) return 0;
      if (w.ratePerSec > 0) return w.ratePerSec;
      const cycles = guestCyclesPerTransaction(w, costs);
      const wireS = (2 * costs.wireLatencyNs + costs.remoteTurnaroundNs) / 1e9;
      const rttS = wireS + cycles / (ghz * 1e9);
      return Math.min(w.outstanding / rttS, (vcpus * ghz * 1e9) / cycles);
    }));
  }
  return rows;
}

/** One VM's metric in the unit of its ideal. */
function vmMetric(w: Workload, m: EpochMetrics['perVm'][number]): number {
  if (STREAMS.has(w.type)) return m.throughputGbps;
  if (w.type === 'cpu') return (m as { guestComputeCores?: number }).guestComputeCores ?? 0;
  return m.transactionsPerSec;
}

export interface RewardParams {
  kind: RewardKind;
  sloUs: number;
  sloPenalty: number;
}

/** One VM's score, its metric ÷ its ideal (NaN for an idle VM or one without metrics). */
function vmScore(w: Workload, ref: number, m: EpochMetrics['perVm'][number] | undefined): number {
  return ref > 0 && m ? vmMetric(w, m) / ref : NaN;
}

export function computeReward(params: RewardParams, s: Scenario, ideal: readonly Float64Array[], phase: number, counters: EpochCounters, metrics: EpochMetrics): number {
  if (params.kind === 'bpc') return counters.tscCycles > 0 ? counters.vqBytes / counters.tscCycles : 0;
  // The mean of the active VMs' scores, summed in VM order (a loop: no arrays per step).
  const workloads = s.phases[phase]!.workloads, refs = ideal[phase]!, perVm = metrics.perVm;
  let sum = 0, n = 0;
  for (let vm = 0; vm < workloads.length; vm++) {
    const x = vmScore(workloads[vm]!, refs[vm]!, perVm[vm]);
    if (Number.isNaN(x)) continue;
    sum += x;
    n++;
  }
  let r = n ? sum / n : 0;
  if (params.kind === 'app-latency' && metrics.transactionsPerSec > 0 && Number.isFinite(metrics.latencyUs.p99)) {
    r -= params.sloPenalty * Math.max(0, metrics.latencyUs.p99 / params.sloUs - 1);
  }
  return r;
}

/** A step's reward less the switch penalty when the step changed the I/O-core count (exact when 0). */
export function withSwitchPenalty(reward: number, reconfigured: boolean, switchPenalty: number): number {
  return reconfigured && switchPenalty !== 0 ? reward - switchPenalty : reward;
}
