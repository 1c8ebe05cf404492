/**
 * Epoch-to-epoch noise of the fast tier (docs/fluid.md §9). The analytic model gives the mean of every
 * counter; the detailed tier's 100 ms epochs scatter around it by a small, measured amount
 * (`experiments/epoch-variation.ts`). Without that scatter, rules that compare two epochs for exact
 * equality (IOcm's "accept if bytes/cycle is unchanged") fire on the fast tier only.
 *
 * Each draw is a pure function of (seed, the window's end time, quantity id): a counter-based hash, not a
 * generator stream. The host's state therefore carries no generator, and two paths that reach the same
 * host state at the same time read the same noise from then on, which keeps the dynamic oracle's state
 * merging exact (docs/experiments.md, "The oracle").
 *
 * Every factor is multiplicative and log-normal, exp(σ·z) with z standard normal: never negative, and
 * zero stays zero.
 */
import type { HostReading } from '../host-model.js';

/** The quantity families that get noise, each with one σ. */
export const NOISE_FAMILIES = ['throughput', 'vhostCpu', 'idle', 'latencyMean', 'latencyP99'] as const;
export type NoiseFamily = (typeof NOISE_FAMILIES)[number];

/**
 * σ of each family for a 100 ms window: the median coefficient of variation of the detailed tier's
 * 100 ms epochs over the cells of `npx tsx experiments/epoch-variation.ts` (seed 1, 30 epochs), as
 * measured before the detailed tier's later fidelity changes; it now prints other values (docs/fluid.md
 * §9, "The σ are stale"), and changing these changes every committed fast-tier result.
 */
export const NOISE_SIGMA: Readonly<Record<NoiseFamily, number>> = Object.freeze({
  throughput: 0.00109,
  vhostCpu: 0.00113,
  idle: 0.000648,
  latencyMean: 0.00104,
  latencyP99: 0.00365,
});

/** The window length the σ table is for, ns. */
export const NOISE_REFERENCE_NS = 100e6;
/**
 * Shorter windows scatter more: averages of independent fluctuations shrink as 1/√length, so σ scales
 * by √(100 ms / window) [INF], capped at this factor (a 1 ms window) so that millisecond windows stay
 * plausible rather than wild.
 */
export const NOISE_MAX_SCALE = 10;

// quantity ids: one per family; the idle family draws one per VM core from ID_IDLE_CORE + core index
const ID = { throughput: 1, vhostCpu: 2, idle: 3, latencyMean: 4, latencyP99: 5 } as const;

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** A 32-bit hash of (seed, the time's IEEE-754 bits, id, lane). */
function hash(seed: number, timeNs: number, id: number, lane: number): number {
  F64[0] = timeNs;
  let h = fmix32((seed >>> 0) ^ 0x9e3779b9);
  h = fmix32(h ^ U32[0]!);
  h = fmix32(h ^ U32[1]!);
  h = fmix32(h ^ Math.imul(id, 0x27d4eb2f));
  return fmix32(h ^ Math.imul(lane + 1, 0x165667b1));
}

/** A standard normal deviate as a pure function of its key (Box–Muller on two hashed uniforms in (0, 1)). */
export function normalAt(seed: number, timeNs: number, id: number): number {
  const u1 = (hash(seed, timeNs, id, 0) + 0.5) / 4294967296;
  const u2 = (hash(seed, timeNs, id, 1) + 0.5) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Applies the noise of the window ending at `endNs` (of length `windowNs`) to a reading, in place.
 * Per family, what moves and what is kept consistent:
 * * throughput: one factor on everything the traffic drives (transactions, goodput in total and per VM,
 *   handled and virtqueue bytes, handled packets, exits, interrupts, context switches; with I/O cores
 *   also the workers' work cycles, moved out of or into their polling time): ratios such as bytes per
 *   packet stay exact, bytes per cycle moves with the traffic.
 * * vhostCpu (baseline only; busy-polling I/O cores run the whole window): the vhost threads' CPU time,
 *   their work cycles (Wk) and the `ioVhost` cycles; the difference is taken from or given to the VM
 *   cores' idle time.
 * * idle: one factor on the VM cores' idle time (every core alike), the difference given to or taken
 *   from guest time, so the cycle accounts still add up to cores × elapsed.
 * * latencyMean: the mean (in total and per VM) and p50; latencyP99: the p99, kept ≥ p50.
 * Counts stay non-negative; a move that would drive a compensating account below zero is shortened to it.
 */
export function applyNoise(r: HostReading, seed: number, endNs: number, windowNs: number, ghz: number): void {
  if (!(windowNs > 0)) return;
  const scale = Math.min(NOISE_MAX_SCALE, Math.sqrt(NOISE_REFERENCE_NS / windowNs));
  const f = (fam: NoiseFamily): number => Math.exp(NOISE_SIGMA[fam] * scale * normalAt(seed, endNs, ID[fam]));
  const c = r.counters, m = r.metrics;
  const cyc = m.cycles;

  // throughput-coupled counters and metrics
  const ft = f('throughput');
  m.transactionsPerSec *= ft;
  m.throughputGbps *= ft;
  for (const v of m.perVm) { v.transactionsPerSec *= ft; v.throughputGbps *= ft; }
  c.vqBytes *= ft;
  c.handledBytes *= ft;
  c.handledPackets *= ft;
  // side-core: the workers' work moves with the traffic, out of (or into) their polling time
  if (c.ioCores > 0 && c.workerWorkCycles > 0) {
    let d = c.workerWorkCycles * (ft - 1);
    if (cyc) d = Math.min(d, cyc.ioWorkerPoll!, c.tscCycles * c.ioCores - c.workerWorkCycles);
    const k = (c.workerWorkCycles + d) / c.workerWorkCycles;
    c.workerWorkCycles += d;
    for (let w = 0; w < c.workerWorkCyclesEach.length; w++) c.workerWorkCyclesEach[w] = Math.min(c.tscCycles, c.workerWorkCyclesEach[w]! * k);
    if (cyc) { cyc.ioWorkerWork = cyc.ioWorkerWork! + d; cyc.ioWorkerPoll = Math.max(0, cyc.ioWorkerPoll! - d); }
  }
  m.exitsPerSec = 0;
  for (const k of Object.keys(m.exitsByReason)) { m.exitsByReason[k] = m.exitsByReason[k]! * ft; m.exitsPerSec += m.exitsByReason[k]!; }
  // per VM too, so that the VMs' exits still add up to the host's
  for (const v of m.perVm) if (v.exitsByReason) for (const k of Object.keys(v.exitsByReason)) v.exitsByReason[k] = v.exitsByReason[k]! * ft;
  m.interruptsPerSec *= ft;
  m.contextSwitchesPerSec *= ft;

  const idleCores = c.vmCoreIdleNs;
  let idleNs = 0;
  for (const v of idleCores) idleNs += v;
  // vCPU ↔ idle and vhost ↔ idle moves, in ns of one core, applied to the idle cores alike
  let dIdleNs = 0;
  if (c.ioCores === 0 && c.vhostCpuNs > 0) {
    // baseline: the vhost threads' CPU time, their work (Wk = their handling cycles) with it
    let d = c.vhostCpuNs * (f('vhostCpu') - 1);
    d = Math.min(d, idleNs); // more vhost time only out of idle time
    c.vhostCpuNs += d;
    c.workerWorkCycles = Math.max(0, c.workerWorkCycles + d * ghz);
    if (cyc) cyc.ioVhost = Math.max(0, cyc.ioVhost! + d * ghz);
    dIdleNs -= d;
  }
  if (idleNs > 0) {
    let d = idleNs * (f('idle') - 1);
    if (cyc) d = Math.min(d, cyc.vmGuest! / ghz); // more idle only out of guest time
    if (cyc) cyc.vmGuest = Math.max(0, cyc.vmGuest! - d * ghz);
    dIdleNs += d;
  }
  if (dIdleNs !== 0 && idleNs > 0) {
    const k = Math.max(0, idleNs + dIdleNs) / idleNs;
    for (let i = 0; i < idleCores.length; i++) idleCores[i] = idleCores[i]! * k;
    if (cyc) cyc.idle = Math.max(0, cyc.idle! + (idleNs * k - idleNs) * ghz);
  }
  if (cyc) {
    const tot = c.tscCycles || 1, vmBefore = m.cpu.vm;
    m.cpu.vm = (cyc.vmGuest! + cyc.vmExit! + cyc.vmContextSwitch!) / tot;
    // the VMs' vCPU time moves with the VM cores' use, so that it still adds up to it
    if (vmBefore > 0) for (const v of m.perVm) if (v.cpuCores !== undefined) v.cpuCores *= m.cpu.vm / vmBefore;
    m.cpu.io = (cyc.ioVhost! + cyc.ioContextSwitch! + cyc.ioWorkerWork! + cyc.ioWorkerPoll!) / tot;
    m.cpu.idle = cyc.idle! / tot;
  }

  // latency
  const l = m.latencyUs;
  if (Number.isFinite(l.mean)) {
    const fm = f('latencyMean');
    l.mean *= fm;
    l.p50 *= fm;
    for (const v of m.perVm) v.latencyUsMean *= fm;
  }
  if (Number.isFinite(l.p99)) l.p99 = Math.max(l.p50, l.p99 * f('latencyP99'));
}
