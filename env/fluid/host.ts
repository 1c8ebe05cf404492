/**
 * `FluidHost`: the fast tier. The same host as `HostSim` (`env/sim`), computed per time segment from
 * the steady-state rates of the current configuration (`steady.ts`, one analytic solve per scenario
 * phase × I/O-core count, cached) and integrated over time, with the reconfiguration transients of the
 * real mechanism (devices suspended `deviceMoveNs` each, one after the other; worker creation and
 * device-transfer control work; vCPU migrations; a moved NIC interrupt; every device re-mapped with
 * IOcm's manager), the manager process's CPU on core 0, partial epochs and phase changes inside an epoch.
 * It produces the same `EpochCounters` and `EpochMetrics` as the detailed tier. Each reading gets the
 * detailed tier's measured epoch-to-epoch noise (`noise.ts`; `noise: false` for the exact model), drawn
 * as a pure function of (seed, time, quantity): same seed, same calls → bit-identical readings.
 *
 * All mutable state is one `Float64Array` (`S`): `getState()` copies it, `setState()` copies it back,
 * so a restored host has a bit-identical future and a snapshot costs one small array copy.
 * The equations and where they disagree with the detailed tier: `docs/fluid.md`.
 */
import { CYCLE_CATEGORIES, resolveHost, type HostModel, type HostOptions, type HostReading, type ReconfigManager } from '../host-model.js';
import type { Costs } from '../sim/costs.js';
import { buildReading } from '../epoch-reading.js';
import type { KickToServiceUs } from '../sim/counters.js';
import { phaseAt, type Scenario } from '../scenarios/scenario.js';
import * as model from './model.js';
import { deriveCosts, type Derived, type HostShape, type Steady } from './model.js';
import { solveSteady } from './steady.js';
import { applyNoise } from './noise.js';

// Field offsets, copied into module constants: the hot loops must not go through module-namespace
// accessors (some loaders compile ESM imports to getters).
const { F_ACTIVE, F_COMPUTE, F_CSW, F_KS, F_KSN, F_EOI, F_EXIT, F_GOOD, F_GUEST, F_HB, F_HLT, F_HP, F_INJ, F_IOCTX, F_IRQ, F_KICK,
  F_LAT_D, F_LAT_MEAN, F_LAT_S, F_LAT_SIG, F_TAIL_Q, F_TAIL_Q2, F_TAIL_T0, F_TAIL_T02, F_TAIL_W, F_TAIL_W2, F_TPS, F_VHOST, F_VISITS, F_VMCTX, F_WKWORK, F_WORKER, NF, NDLY } = model;

/** The options of either tier (`HostOptions`), and whether readings get noise (default on; docs/fluid.md §9). */
export type FluidHostOptions = HostOptions & { noise?: boolean };

export interface FluidState {
  readonly kind: 'iocm-fluid';
  readonly scenario: string;
  /** The used prefix of the state array (a plain array: a small Float64Array is an off-heap buffer, whose
   *  allocation and collection cost more than the rest of a snapshot). */
  readonly data: readonly number[] | Float64Array;
}

/** Cycle categories: the same list as the detailed tier's (`CYCLE_CATEGORIES` of `env/host-model.ts`). */
export const FLUID_CYCLE_CATEGORIES = CYCLE_CATEGORIES;

// ---- layout of the state array -------------------------------------------------------------------
// scalars
const S_NOW = 0, S_X = 1, S_LAST = 2, S_PHASE = 3, S_PEND_MIG = 4, S_SEED = 5, S_NCOMP = 6, S_TRANSIENT = 7, S_CFG = 8,
  // the window's reconfiguration costs: changes, Σ device suspension (ns), the manager's CPU (ns)
  S_RCN = 9, S_RCSTALL = 10, S_RCMGR = 11, NSCAL = 12;
// epoch accumulators (cycles unless noted)
const A_GOOD = 0, A_TXN = 1, A_LATSUM = 2 /* ns·txn */, A_KICK = 3, A_INJ = 4, A_EOI = 5, A_HLT = 6, A_IRQ = 7, A_CSW = 8,
  A_GUEST = 9, A_EXIT = 10, A_VMCTX = 11, A_VHOST = 12, A_IOCTX = 13, A_COMPUTE = 14, A_HB = 15, A_HP = 16, NACC = 17;
// per VM: goodput, transactions, latency sum, compute, exits by reason (kick, injection, EOI, HLT), vCPU cycles
const VA_GOOD = 0, VA_TXN = 1, VA_LAT = 2, VA_COMPUTE = 3, VA_KICK = 4, VA_INJ = 5, VA_EOI = 6, VA_HLT = 7, VA_CPU = 8,
  // kick-to-service: Σ estimate × TX posts (cycles) and TX posts (steady.ts writeKickToService)
  VA_KS = 9, VA_KSN = 10, NVA = 11;
const W_WORK = 0, W_VIS = 1, W_IOT = 2, W_CTL = 3, NWA = 4;
/** Latency mixture components: weight, EMG location D, exponential mean S and normal σ (ns), tail fraction q, tail start and width (ns), key. */
const C_W = 0, C_D = 1, C_S = 2, C_Q = 3, C_T0 = 4, C_TW = 5, C_KEY = 6, C_SIG = 7, NC = 8, MAXC = 24;

/** Steady states shared by hosts with the same inputs (insertion-ordered; the oldest is dropped). */
const STEADY_CACHE = new Map<string, { steady: (Steady | undefined)[]; q: Float64Array; cdf: (Float64Array | undefined)[]; mono: Uint8Array }>();
const STEADY_CACHE_MAX = 64;

export class FluidHost implements HostModel {
  readonly scenario: Scenario;
  readonly costs: Readonly<Costs>;
  readonly nCores: number;
  readonly ghz: number;
  readonly nVm: number;
  readonly maxIo: number;
  readonly exitless: boolean;
  /** Who reconfigures (`ReconfigManager`): the manager process's CPU, and whether every device is re-mapped. */
  readonly manager: ReconfigManager;
  /** Whether readings get the detailed tier's epoch-to-epoch noise (`noise.ts`); false: the exact model. */
  readonly noise: boolean;
  private readonly d: Derived;
  private readonly shape: HostShape;
  /** vCPUs of all VMs (with idle=poll, each keeps a VM core busy whenever it has one). */
  private readonly nVcpuAll: number;
  /** vCPUs of each VM, and a per-segment scratch of each VM's vCPU cycles (not state: rewritten every segment). */
  private readonly vcpusOf: Float64Array;
  private readonly segVmCpu: Float64Array;
  private readonly allVms: readonly number[];
  /** Phase end times, ns. */
  private readonly phaseEndNs: Float64Array;
  /** Steady states per (phase, x), solved on first use. */
  private readonly cache: (Steady | undefined)[];
  /** Precomputed p50/p99 (µs) of each cached steady state's latency mixture. */
  private readonly cacheQ: Float64Array;
  /** Each cached steady state's latency CDF on the shared log grid (for windows that mix states). */
  private readonly cacheCdf: (Float64Array | undefined)[];
  /** 1 where a cached CDF table is finite and non-decreasing (then a quantile search may bisect it). */
  private readonly cacheMono: Uint8Array;
  /** Scratch: a window's mixture CDF on the grid. */
  private readonly cdfScratch = new Float64Array(NGRID);
  /** Scratch: each transient latency component's first grid point. */
  private readonly compG0 = new Float64Array(MAXC);
  /** Scratch of setIoCores: when each new worker's creation work is done. */
  private readonly ctlScratch: Float64Array;
  private q50 = NaN;
  private q99 = NaN;
  // state views (all inside S)
  private S: Float64Array;
  private readonly oAcc: number;
  private readonly oVa: number;
  private readonly oIdle: number;
  private readonly oWk: number;
  private readonly oSusp: number;
  private readonly oComp: number;
  private readonly nState: number;

  constructor(scenario: Scenario | string | object, opts: FluidHostOptions) {
    const h = resolveHost(scenario, opts), sc = h.scenario;
    this.scenario = sc;
    this.costs = h.costs;
    this.nCores = h.nCores;
    this.ghz = h.ghz;
    this.exitless = h.exitless;
    this.manager = opts.manager ?? 'none';
    this.noise = opts.noise ?? true;
    this.maxIo = h.maxIo;
    this.ctlScratch = new Float64Array(Math.max(1, this.maxIo));
    this.nVm = sc.vms.length;
    this.d = deriveCosts(this.costs, this.ghz, sc.host.nicGbps);
    this.shape = { cores: this.nCores, nics: sc.host.nics, exitless: this.exitless, maxIo: this.maxIo, idlePoll: h.idlePoll };
    this.nVcpuAll = sc.vms.reduce((n, vm) => n + vm.vcpus, 0);
    this.vcpusOf = Float64Array.from(sc.vms, (vm) => vm.vcpus);
    this.segVmCpu = new Float64Array(sc.vms.length);
    this.allVms = sc.vms.map((_, v) => v);
    this.phaseEndNs = new Float64Array(sc.phases.length);
    let acc = 0;
    sc.phases.forEach((p, i) => { acc += p.durationS; this.phaseEndNs[i] = acc * 1e9; });
    // the steady states are a pure function of the model's inputs: hosts built from the same inputs
    // (vector envs, the oracle's workers, restarts) share them
    const key = JSON.stringify([sc.host, sc.vms, sc.phases, this.costs, this.nCores, this.ghz, this.exitless]);
    let shared = STEADY_CACHE.get(key);
    if (!shared) {
      const n = sc.phases.length * (this.maxIo + 1);
      shared = { steady: new Array<Steady | undefined>(n).fill(undefined), q: new Float64Array(2 * n).fill(NaN), cdf: new Array<Float64Array | undefined>(n).fill(undefined), mono: new Uint8Array(n) };
      if (STEADY_CACHE.size >= STEADY_CACHE_MAX) STEADY_CACHE.delete(STEADY_CACHE.keys().next().value!);
      STEADY_CACHE.set(key, shared);
    }
    this.cache = shared.steady;
    this.cacheQ = shared.q;
    this.cacheCdf = shared.cdf;
    this.cacheMono = shared.mono;
    const nW = Math.max(1, this.maxIo);
    this.oAcc = NSCAL;
    this.oVa = this.oAcc + NACC;
    this.oIdle = this.oVa + this.nVm * NVA;
    this.oWk = this.oIdle + this.nCores;
    this.oSusp = this.oWk + nW * NWA;
    this.oComp = this.oSusp + this.nVm;
    this.nState = this.oComp + MAXC * NC;
    this.S = new Float64Array(this.nState);
    this.restart(opts);
  }

  /**
   * Returns the host to the state a new `FluidHost` of the same scenario and overrides built with
   * `opts` would have (time 0, `opts.ioCores`, the seed): what the env's reset needs, without building
   * the host again.
   */
  restart(opts: { seed: number; ioCores: number }): void {
    const x = opts.ioCores;
    if (!Number.isInteger(x) || x < 0 || x > this.maxIo) {
      throw new RangeError(`ioCores must be an integer in [0, ${this.maxIo}] for this host, got ${x}`);
    }
    const S = this.S;
    S.fill(0);
    S[S_X] = x;
    S[S_SEED] = opts.seed;
    S[S_CFG] = -1;
  }

  /** The seed the host was built or restarted with (kept in the state; it keys the noise). */
  get seed(): number { return this.S[S_SEED]!; }
  get nowNs(): number { return this.S[S_NOW]!; }
  get ioCores(): number { return this.S[S_X]!; }
  /** Index of the current phase (the last one after the scenario's end). */
  get phase(): number { return this.phaseAt(this.S[S_NOW]!); }

  private phaseAt(t: number): number {
    return phaseAt(this.phaseEndNs, t);
  }

  /** The steady state of phase p at x I/O cores (solved once, then cached). */
  steady(p: number, x: number): Steady {
    const i = p * (this.maxIo + 1) + x;
    let s = this.cache[i];
    if (!s) {
      s = solveSteady(this.scenario, p, x, this.d, this.shape);
      this.cache[i] = s;
      const q = steadyQuantiles(s, this.nVm);
      this.cacheQ[2 * i] = q[0]!; this.cacheQ[2 * i + 1] = q[1]!;
      const tab = steadyCdfTable(s, this.nVm);
      this.cacheCdf[i] = tab;
      this.cacheMono[i] = nonDecreasing(tab) ? 1 : 0;
    }
    return s;
  }

  // ---- running -----------------------------------------------------------------------------------
  advance(dtNs: number): void {
    if (!(dtNs >= 0)) throw new RangeError(`advance: dtNs must be >= 0, got ${dtNs}`);
    const S = this.S;
    let t = S[S_NOW]!;
    const end = t + dtNs;
    while (t < end) {
      const p = this.phaseAt(t);
      const pe = p < this.phaseEndNs.length - 1 ? this.phaseEndNs[p]! : Infinity;
      const segEnd = Math.min(end, pe);
      this.segment(p, t, segEnd);
      t = segEnd;
    }
    S[S_NOW] = end;
    S[S_PHASE] = this.phaseAt(end);
  }

  /**
   * The model's kick-to-service estimate of VMs `vms` over the window: the post-weighted mean (µs) of
   * the steady states' estimates (steady.ts `writeKickToService`); p99 NaN, as the model keeps no
   * distribution of this wait. Zero posts: NaN.
   */
  private kickToService(vms: readonly number[], secs: number): KickToServiceUs {
    const S = this.S;
    let sum = 0, n = 0;
    for (const v of vms) { sum += S[this.oVa + v * NVA + VA_KS]!; n += S[this.oVa + v * NVA + VA_KSN]!; }
    return n > 0 ? { mean: sum / n / this.ghz / 1000, p99: NaN, perSec: n / secs } : { mean: NaN, p99: NaN, perSec: 0 };
  }

  /**
   * Adds `cyc` VM-core cycles that belong to no one VM's steady rates (idle=poll spin, cache refills
   * taken from idle time) to the VMs' vCPU time, in proportion to `weight` (Σ = `total`), so that the
   * per-VM `cpuCores` add up to `cpu.vm` as in the detailed tier, where each vCPU thread's run time is
   * counted to its VM. Only the per-VM reading uses VA_CPU: the dynamics do not read it.
   */
  private spreadVmCpu(cyc: number, weight: ArrayLike<number>, total: number): void {
    if (!(cyc > 0) || !(total > 0)) return;
    const S = this.S, VA = this.oVa;
    for (let v = 0; v < this.nVm; v++) S[VA + v * NVA + VA_CPU] = S[VA + v * NVA + VA_CPU]! + cyc * (weight[v]! / total);
  }

  /** Integrates the rates of phase p at the current x over [t0, t1). */
  private segment(p: number, t0: number, t1: number): void {
    const S = this.S, x = S[S_X]!, st = this.steady(p, x), vm = st.vm, nV = this.nVm, g = this.ghz;
    const segNs = t1 - t0;
    const segCyc = segNs * g; // cycles = ns × GHz
    const key = p * (this.maxIo + 1) + x;
    if (S[S_CFG] !== key) { if (S[S_CFG]! >= 0) S[S_TRANSIENT] = 1; S[S_CFG] = key; }
    const A = this.oAcc, VA = this.oVa;
    let busy = 0, txnSeg = 0, vcpuBusy = 0;
    const vmCpu = this.segVmCpu;
    vmCpu.fill(0);
    for (let v = 0; v < nV; v++) {
      const o = v * NF;
      if (vm[o + F_ACTIVE] === 0) continue;
      // the device is suspended (being transferred) until oSusp[v]: no I/O progress
      const sus = S[this.oSusp + v]!;
      let act = segCyc;
      if (sus > t0) { act = (t1 - Math.min(t1, sus)) * g; S[S_TRANSIENT] = 1; }
      const a = act / g / 1e9; // active seconds
      const s = segCyc / g / 1e9; // segment seconds
      const comp = vm[o + F_COMPUTE]! * s;
      const txn = vm[o + F_TPS]! * a;
      S[A + A_GOOD] = S[A + A_GOOD]! + (vm[o + F_GOOD]! * a);
      S[A + A_TXN] = S[A + A_TXN]! + (txn);
      S[A + A_LATSUM] = S[A + A_LATSUM]! + (txn * vm[o + F_LAT_MEAN]!);
      S[A + A_KICK] = S[A + A_KICK]! + (vm[o + F_KICK]! * a);
      S[A + A_INJ] = S[A + A_INJ]! + (vm[o + F_INJ]! * a);
      S[A + A_EOI] = S[A + A_EOI]! + (vm[o + F_EOI]! * a);
      S[A + A_HLT] = S[A + A_HLT]! + (vm[o + F_HLT]! * a);
      S[A + A_IRQ] = S[A + A_IRQ]! + (vm[o + F_IRQ]! * a);
      S[A + A_CSW] = S[A + A_CSW]! + (vm[o + F_CSW]! * a);
      const guest = (vm[o + F_GUEST]! - vm[o + F_COMPUTE]!) * a + comp;
      const exit = vm[o + F_EXIT]! * a, ctx = vm[o + F_VMCTX]! * a, vh = vm[o + F_VHOST]! * a, ioc = vm[o + F_IOCTX]! * a;
      S[A + A_GUEST] = S[A + A_GUEST]! + (guest);
      S[A + A_EXIT] = S[A + A_EXIT]! + (exit);
      S[A + A_VMCTX] = S[A + A_VMCTX]! + (ctx);
      S[A + A_VHOST] = S[A + A_VHOST]! + (vh);
      S[A + A_IOCTX] = S[A + A_IOCTX]! + (ioc);
      S[A + A_COMPUTE] = S[A + A_COMPUTE]! + (comp);
      S[A + A_HB] = S[A + A_HB]! + (vm[o + F_HB]! * a);
      S[A + A_HP] = S[A + A_HP]! + (vm[o + F_HP]! * a);
      busy += guest + exit + ctx + vh + ioc;
      vcpuBusy += guest + exit + ctx;
      const vo = VA + v * NVA;
      S[vo + VA_GOOD] = S[vo + VA_GOOD]! + (vm[o + F_GOOD]! * a);
      S[vo + VA_TXN] = S[vo + VA_TXN]! + (txn);
      S[vo + VA_LAT] = S[vo + VA_LAT]! + (txn * vm[o + F_LAT_MEAN]!);
      S[vo + VA_COMPUTE] = S[vo + VA_COMPUTE]! + (comp);
      S[vo + VA_KICK] = S[vo + VA_KICK]! + (vm[o + F_KICK]! * a);
      S[vo + VA_INJ] = S[vo + VA_INJ]! + (vm[o + F_INJ]! * a);
      S[vo + VA_EOI] = S[vo + VA_EOI]! + (vm[o + F_EOI]! * a);
      S[vo + VA_HLT] = S[vo + VA_HLT]! + (vm[o + F_HLT]! * a);
      S[vo + VA_CPU] = S[vo + VA_CPU]! + (guest + exit + ctx);
      vmCpu[v] = guest + exit + ctx;
      const posts = vm[o + F_KSN]! * a;
      S[vo + VA_KS] = S[vo + VA_KS]! + posts * vm[o + F_KS]!;
      S[vo + VA_KSN] = S[vo + VA_KSN]! + posts;
      const w = vm[o + F_WORKER]!;
      if (w >= 0) {
        const wo = this.oWk + w * NWA;
        S[wo + W_WORK] = S[wo + W_WORK]! + (vm[o + F_WKWORK]! * a);
        S[wo + W_VIS] = S[wo + W_VIS]! + (vm[o + F_VISITS]! * a);
      }
      txnSeg += txn;
    }
    // the segment's transactions follow the steady latency distribution of its configuration
    if (txnSeg > 0) this.addComp(key, txnSeg, 0, 0, 0, 0, 0, 0);
    // the manager process samples on core 0 (docs/model.md §9), spread evenly over time: worker 0's
    // control work in side-core mode, else taken like a cache refill from a VM core
    if (this.manager !== 'none') {
      const k = this.costs, share = segNs / k.managerSampleNs, mgr = k.managerCpuNsPerSample * share * g;
      S[S_RCMGR] = S[S_RCMGR]! + k.managerCpuNsPerSample * share;
      if (x > 0) {
        S[this.oWk + W_WORK] = S[this.oWk + W_WORK]! + mgr;
        S[this.oWk + W_CTL] = S[this.oWk + W_CTL]! + share;
      } else S[S_PEND_MIG] = S[S_PEND_MIG]! + mgr;
    }
    // pending migration cache refills take idle VM-core time first, then guest time
    const M = this.nCores - x;
    let cap = M * segCyc;
    const pend = S[S_PEND_MIG]!;
    if (pend > 0) {
      const free = Math.max(0, cap - busy);
      const take = Math.min(pend, free + S[A + A_GUEST]!);
      const fromIdle = Math.min(take, free);
      S[A + A_VMCTX] = S[A + A_VMCTX]! + take;
      S[A + A_GUEST] = S[A + A_GUEST]! - (take - fromIdle);
      busy += fromIdle;
      S[S_PEND_MIG] = pend - take;
      this.spreadVmCpu(fromIdle, this.vcpusOf, this.nVcpuAll);
    }
    if (this.shape.idlePoll && busy < cap) {
      // idle=poll: every vCPU spins in the guest whenever it is not working, as long as a VM core is left
      const spin = Math.min(cap - busy, Math.max(0, this.nVcpuAll * segCyc - vcpuBusy));
      S[A + A_GUEST] = S[A + A_GUEST]! + spin;
      busy += spin;
      // per VM: each VM's vCPUs spin for the time they are not working (vmCpu becomes that room)
      let room = 0;
      for (let v = 0; v < nV; v++) { vmCpu[v] = Math.max(0, this.vcpusOf[v]! * segCyc - vmCpu[v]!); room += vmCpu[v]!; }
      this.spreadVmCpu(spin, vmCpu, room);
    }
    if (busy > cap) {
      // numerical excess: scale the VM-core categories down so the accounts add up
      const f = cap / busy;
      for (const k of [A_GUEST, A_EXIT, A_VMCTX, A_VHOST, A_IOCTX]) S[A + k] = S[A + k]! * f;
      for (let v = 0; v < nV; v++) S[VA + v * NVA + VA_CPU] = S[VA + v * NVA + VA_CPU]! * f;
      busy = cap;
    }
    const idlePer = (cap - busy) / M;
    for (let c = x; c < this.nCores; c++) S[this.oIdle + c] = S[this.oIdle + c]! + (idlePer);
    for (let w = 0; w < x; w++) S[this.oWk + w * NWA + W_IOT] = S[this.oWk + w * NWA + W_IOT]! + (segCyc);
    cap = 0;
  }

  private addComp(key: number, w: number, D: number, Sd: number, sig: number, q: number, t0: number, W: number): void {
    const S = this.S, o = this.oComp;
    let n = S[S_NCOMP]!;
    for (let i = 0; i < n; i++) {
      const b = o + i * NC;
      if (S[b + C_KEY] === key && S[b + C_D] === D && S[b + C_TW] === W) { S[b + C_W] = S[b + C_W]! + (w); return; }
    }
    if (n === MAXC) { S[o + (MAXC - 1) * NC + C_W] = S[o + (MAXC - 1) * NC + C_W]! + (w); return; }
    const b = o + n * NC;
    S[b + C_W] = w; S[b + C_D] = D; S[b + C_S] = Sd; S[b + C_SIG] = sig; S[b + C_Q] = q; S[b + C_T0] = t0; S[b + C_TW] = W; S[b + C_KEY] = key;
    S[S_NCOMP] = n + 1;
    n++;
  }

  // ---- reconfiguration ---------------------------------------------------------------------------
  /**
   * Sets the number of I/O cores (0 = baseline) at the current time, with the mechanism's costs as
   * `HostSim` models them: devices whose worker changes are suspended one after the other
   * (`deviceMoveNs` each), new workers spend `workerCreateCycles` before polling, both workers of a
   * transfer spend `deviceMoveWorkCycles`, and vCPUs displaced from cores that become I/O cores pay
   * `migrationCycles`.
   */
  setIoCores(x: number): void {
    if (!Number.isInteger(x) || x < 0 || x > this.maxIo) throw new RangeError(`ioCores must be an integer in [0, ${this.maxIo}], got ${x}`);
    const S = this.S, old = S[S_X]!;
    if (x === old) return;
    const now = S[S_NOW]!, g = this.ghz, d = this.d, nV = this.nVm;
    const p = this.phaseAt(now);
    const before = this.steady(p, old);
    // vCPUs running on cores that become I/O cores are displaced (expected number: VM-core utilisation)
    if (x > old) {
      let busy = 0;
      for (let v = 0; v < nV; v++) {
        const o = v * NF;
        busy += before.vm[o + F_GUEST]! + before.vm[o + F_EXIT]! + before.vm[o + F_VMCTX]! + before.vm[o + F_VHOST]! + before.vm[o + F_IOCTX]!;
      }
      const util = Math.min(1, busy / ((this.nCores - old) * d.G));
      S[S_PEND_MIG] = S[S_PEND_MIG]! + ((x - old) * util * d.mig);
    }
    // new workers: creation control work before their first poll
    const ctlDone = this.ctlScratch.fill(0);
    for (let w = old; w < x; w++) {
      S[this.oWk + w * NWA + W_WORK] = S[this.oWk + w * NWA + W_WORK]! + (d.wkCreate);
      S[this.oWk + w * NWA + W_CTL] = S[this.oWk + w * NWA + W_CTL]! + (1);
      ctlDone[w] = d.wkCreate / g;
    }
    // NIC j's interrupt goes to label j mod (x + 1) (I/O worker ℓ's core, core 0 in the baseline): a
    // moved one runs cold on its new core
    for (let j = 0; j < this.scenario.host.nics; j++) {
      const to = j % (x + 1);
      if (to === j % (old + 1)) continue;
      if (to < x) {
        S[this.oWk + to * NWA + W_WORK] = S[this.oWk + to * NWA + W_WORK]! + d.irqMove;
        S[this.oWk + to * NWA + W_CTL] = S[this.oWk + to * NWA + W_CTL]! + 1;
      } else S[S_PEND_MIG] = S[S_PEND_MIG]! + d.irqMove;
    }
    // devices move one after the other; IOcm's balancer re-maps (detaches and re-attaches) every device
    let moved = 0;
    const after = this.steady(p, x);
    const remapAll = this.manager === 'iocm';
    for (let v = 0; v < nV; v++) {
      // (integer remainders: the counts are read from the Float64Array, and a double % is a slow call)
      const ow = old === 0 ? -1 : v % (old | 0), nw = x === 0 ? -1 : v % (x | 0);
      if (ow === nw && !remapAll) continue;
      moved++;
      let until = now + (moved * d.move) / g;
      if (nw >= 0) {
        until = Math.max(until, now + ctlDone[nw]!);
        S[this.oWk + nw * NWA + W_WORK] = S[this.oWk + nw * NWA + W_WORK]! + (d.moveWork);
        S[this.oWk + nw * NWA + W_CTL] = S[this.oWk + nw * NWA + W_CTL]! + (1);
      }
      if (ow >= 0 && ow < x) {
        S[this.oWk + ow * NWA + W_WORK] = S[this.oWk + ow * NWA + W_WORK]! + (d.moveWork);
        S[this.oWk + ow * NWA + W_CTL] = S[this.oWk + ow * NWA + W_CTL]! + (1);
      }
      S[this.oSusp + v] = Math.max(S[this.oSusp + v]!, until);
      S[S_RCSTALL] = S[S_RCSTALL]! + (until - now);
      // closed-loop transactions in flight wait for the transfer: a tail in the latency distribution
      const w = this.scenario.phases[p]!.workloads[v]!;
      const o = v * NF;
      if (w.outstanding > 0 && after.vm[o + F_TPS]! > 0) {
        const sus = until - now;
        this.addComp(-1 - v, w.outstanding, after.vm[o + F_LAT_D]!, after.vm[o + F_LAT_S]!, after.vm[o + F_LAT_SIG]!, 1, after.vm[o + F_LAT_MEAN]!, sus);
      }
    }
    S[S_X] = x;
    S[S_TRANSIENT] = 1;
    S[S_RCN] = S[S_RCN]! + 1;
  }

  // ---- reading -----------------------------------------------------------------------------------
  readEpoch(): HostReading {
    const S = this.S, g = this.ghz, x = S[S_X]!, A = this.oAcc, nV = this.nVm;
    const ns = S[S_NOW]! - S[S_LAST]!;
    const cyc = ns * g;
    let wkWork = 0, wkPoll = 0;
    const loops = new Array<number>(x), empty = new Array<number>(x), each = new Array<number>(x);
    for (let w = 0; w < this.maxIo; w++) {
      const wo = this.oWk + w * NWA;
      const work = Math.min(S[wo + W_WORK]!, S[wo + W_IOT]! > 0 ? S[wo + W_IOT]! : S[wo + W_WORK]!);
      const poll = Math.max(0, S[wo + W_IOT]! - work);
      if (S[wo + W_IOT]! > 0 || w < x) { wkWork += work; wkPoll += poll; }
      if (w < x) {
        const e = Math.floor(poll / this.d.E);
        empty[w] = e;
        loops[w] = e + Math.round(S[wo + W_VIS]! + S[wo + W_CTL]!);
        each[w] = work;
      }
    }
    const idleArr = new Array<number>(this.nCores - x);
    let idleTot = 0;
    for (let c = 0; c < this.nCores; c++) {
      const v = S[this.oIdle + c]!;
      idleTot += v;
      if (c >= x) idleArr[c - x] = v / g;
    }
    const txn = S[A + A_TXN]!;
    let p50 = NaN, p99 = NaN;
    if (txn > 0) {
      const cfg = S[S_CFG]!;
      if (!S[S_TRANSIENT] && cfg >= 0 && !Number.isNaN(this.cacheQ[2 * cfg]!)) {
        p50 = this.cacheQ[2 * cfg]!; p99 = this.cacheQ[2 * cfg + 1]!;
      } else {
        this.windowQuantiles();
        p50 = this.q50 / 1000;
        p99 = this.q99 / 1000;
      }
    }
    const { counters, metrics } = buildReading({
      cycles: cyc, ns, ghz: g, ioCores: x, nVm: nV,
      goodBytes: S[A + A_GOOD]!, transactions: txn, latencySumNs: S[A + A_LATSUM]!, latencyP50Us: p50, latencyP99Us: p99,
      kicks: S[A + A_KICK]!, injections: S[A + A_INJ]!, eois: S[A + A_EOI]!, hlts: S[A + A_HLT]!,
      interrupts: S[A + A_IRQ]!, contextSwitches: S[A + A_CSW]!, computeCycles: S[A + A_COMPUTE]!,
      cycleSplit: {
        vmGuest: S[A + A_GUEST]!, vmExit: S[A + A_EXIT]!, vmContextSwitch: S[A + A_VMCTX]!, ioVhost: S[A + A_VHOST]!,
        ioContextSwitch: S[A + A_IOCTX]!, ioWorkerWork: wkWork, ioWorkerPoll: wkPoll, idle: idleTot,
      },
      handledBytes: S[A + A_HB]!, handledPackets: S[A + A_HP]!,
      vmCoreIdleNs: idleArr, workerLoops: loops, workerEmptyPolls: empty, workerWorkCyclesEach: each,
      perVm: {
        data: S, base: this.oVa, stride: NVA, good: VA_GOOD, txn: VA_TXN, latSum: VA_LAT, compute: VA_COMPUTE, cpu: VA_CPU,
        kick: VA_KICK, inj: VA_INJ, eoi: VA_EOI, hlt: VA_HLT,
      },
      allVms: this.allVms,
      kickToService: (vms, secs) => this.kickToService(vms, secs),
    });
    const reconfig = { reconfigurations: S[S_RCN]!, stallNs: S[S_RCSTALL]!, managerCpuNs: S[S_RCMGR]! };
    S[S_RCN] = 0; S[S_RCSTALL] = 0; S[S_RCMGR] = 0;
    // reset the window (components beyond the used ones are never read before being written)
    for (let i = this.oAcc, e = this.oSusp; i < e; i++) S[i] = 0;
    for (let i = this.oComp, e = this.oComp + S[S_NCOMP]! * NC; i < e; i++) S[i] = 0;
    S[S_NCOMP] = 0;
    S[S_TRANSIENT] = 0;
    // the window's configuration: a transient is over once no device is suspended any more
    const now = S[S_NOW]!;
    for (let v = 0; v < nV; v++) if (S[this.oSusp + v]! > now) S[S_TRANSIENT] = 1;
    // An expired suspension no longer affects the future; zeroing it lets states reached by different
    // histories compare byte-identical (the dynamic oracle merges such states).
    for (let v = 0; v < nV; v++) if (S[this.oSusp + v]! <= now) S[this.oSusp + v] = 0;
    if (S[S_PEND_MIG]! > 0) S[S_TRANSIENT] = 1;
    S[S_CFG] = -1;
    S[S_LAST] = now;
    const reading = { counters, metrics, phase: this.phaseAt(now), reconfig };
    // noise on the reading only, keyed by (seed, window end): the state stays a function of the path's
    // configurations, never of the draws
    if (this.noise) applyNoise(reading, S[S_SEED]!, now, ns, g);
    return reading;
  }

  /** Cycle accounts of the current window (since the last read): per category and total (= cores × elapsed). */
  windowCycles(): { elapsed: number; byCategory: Record<string, number> } {
    const S = this.S, A = this.oAcc, g = this.ghz;
    let wk = 0, poll = 0, idle = 0;
    for (let w = 0; w < this.maxIo; w++) {
      const wo = this.oWk + w * NWA;
      const work = Math.min(S[wo + W_WORK]!, S[wo + W_IOT]! > 0 ? S[wo + W_IOT]! : S[wo + W_WORK]!);
      if (S[wo + W_IOT]! > 0 || w < S[S_X]!) { wk += work; poll += Math.max(0, S[wo + W_IOT]! - work); }
    }
    for (let c = 0; c < this.nCores; c++) idle += S[this.oIdle + c]!;
    return {
      elapsed: (S[S_NOW]! - S[S_LAST]!) * g,
      byCategory: {
        vmGuest: S[A + A_GUEST]!, vmExit: S[A + A_EXIT]!, vmContextSwitch: S[A + A_VMCTX]!, ioVhost: S[A + A_VHOST]!,
        ioContextSwitch: S[A + A_IOCTX]!, ioWorkerWork: wk, ioWorkerPoll: poll, idle,
      },
    };
  }

  /**
   * p50 and p99 (ns) of the window's latency mixture, into `q50`/`q99`. The window's latency CDF on the
   * shared log grid (normalised) is the steady CDF tables of the configurations the window ran, weighted
   * by their transactions, plus the transient components (closed-loop transactions stalled by a device
   * transfer: uniform on [mean, mean + suspension]); a quantile is interpolated linearly in log time
   * between the grid points around it. Each grid point's value is a sum over the components in a fixed
   * order, independent of the other points, so it is computed only when the search reaches it (the
   * search stops at p99, usually well before the grid's end).
   */
  private windowQuantiles(): void {
    const S = this.S, F = this.cdfScratch, n = S[S_NCOMP]!, g0 = this.compG0;
    let tot = 0;
    // Whether every component's contribution is finite and non-decreasing along the grid: then so is
    // the CDF (correctly rounded sums and quotients are monotone), and the first point reaching q can be
    // found by bisection; otherwise by a scan, as the definition says.
    let mono = true;
    for (let i = 0; i < n; i++) {
      const b = this.oComp + i * NC, key = S[b + C_KEY]!, w = S[b + C_W]!;
      tot += w;
      if (!(w >= 0 && w < Infinity)) mono = false;
      if (key >= 0) {
        if (this.cacheCdf[key] && this.cacheMono[key] !== 1) mono = false;
      } else if (S[b + C_Q]! >= 1) {
        // first grid point a transient (uniform) component contributes to
        const T0 = S[b + C_T0]!, W = S[b + C_TW]!;
        const first = Math.max(0, Math.ceil(Math.log(Math.max(T0, GRID_T0) / GRID_T0) / GRID_LOGR));
        g0[i] = first;
        if (!Number.isFinite(T0) || !Number.isFinite(W)) mono = false;
        else if (mono && W > 0 && first < NGRID) {
          // the ramp w·(t − T0)/W on [first, end) must start at >= 0 and end at <= w
          let end = first;
          while (end < NGRID && GRID_T[end]! < T0 + W) end++;
          if (end > first && !(w * ((GRID_T[first]! - T0) / W) >= 0 && w * ((GRID_T[end - 1]! - T0) / W) <= w)) mono = false;
        }
      } else {
        mono = false;
      }
    }
    const at = (g: number): number => {
      const t = GRID_T[g]!;
      let f = 0;
      for (let i = 0; i < n; i++) {
        const b = this.oComp + i * NC, key = S[b + C_KEY]!, w = S[b + C_W]!;
        if (key >= 0) {
          const tab = this.cacheCdf[key];
          if (tab) f = f + w * tab[g]!;
        } else if (S[b + C_Q]! >= 1) {
          if (g >= g0[i]!) {
            const T0 = S[b + C_T0]!, W = S[b + C_TW]!;
            f = f + (t < T0 + W ? (W > 0 ? w * ((t - T0) / W) : w) : w);
          }
        } else {
          f = f + w * compCdf(S, b, t);
        }
      }
      return tot > 0 ? f / tot : f;
    };
    if (!(at(NGRID - 1) > 0)) { this.q50 = NaN; this.q99 = NaN; return; }
    // the quantile at the first grid point g reaching q, interpolated from the point before
    const interp = (g: number, q: number): number => {
      if (g >= NGRID) return GRID_T0 * Math.pow(GRID_R, NGRID - 1);
      if (g === 0) return GRID_T0;
      const a = at(g - 1), v = at(g);
      const f = v > a ? (q - a) / (v - a) : 1;
      return GRID_T0 * Math.exp((g - 1 + f) * GRID_LOGR);
    };
    if (mono) {
      // the first point reaching q, by bisection on [lo, NGRID) (NGRID: none does)
      const first = (q: number, lo: number): number => {
        let hi = NGRID;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (at(mid) >= q) hi = mid; else lo = mid + 1;
        }
        return lo;
      };
      const g50 = first(0.5, 0);
      this.q50 = interp(g50, 0.5);
      this.q99 = interp(first(0.99, g50), 0.99);
      return;
    }
    // F[0 … done − 1] computed so far; both searches scan upwards from the first unreached point
    let done = 0, g = 0;
    const scan = (q: number): number => {
      for (; g < NGRID; g++) {
        while (done <= g) { F[done] = at(done); done++; }
        if (F[g]! >= q) return g;
      }
      return NGRID;
    };
    const g50 = scan(0.5);
    this.q50 = interp(g50, 0.5);
    // no point before the median's reaches 0.5, so none reaches 0.99: the search resumes there
    this.q99 = interp(scan(0.99), 0.99);
  }

  // ---- snapshots ---------------------------------------------------------------------------------
  getState(): FluidState {
    // components beyond the used ones are never read before being written: not part of the state
    const S = this.S, n = this.oComp + S[S_NCOMP]! * NC, data = new Array<number>(n);
    for (let i = 0; i < n; i++) data[i] = S[i]!;
    return { kind: 'iocm-fluid', scenario: this.scenario.name, data };
  }

  setState(state: unknown): void {
    const kind = (state as { kind?: unknown } | null | undefined)?.kind;
    if (kind !== 'iocm-fluid') throw new Error(`setState: not a fast-tier host state${kind === 'iocm-hostsim' ? ' (it is a detailed-tier one: restore it into an env with fidelity: \'detailed\')' : ''}`);
    const s = state as FluidState;
    if (s.scenario !== this.scenario.name) throw new Error(`setState: a state of scenario ${JSON.stringify(s.scenario)}, not of ${JSON.stringify(this.scenario.name)}`);
    if (!(Array.isArray(s.data) || s.data instanceof Float64Array) || s.data.length < this.oComp || s.data.length > this.nState || s.data.length !== this.oComp + s.data[S_NCOMP]! * NC) {
      throw new Error('setState: the state\'s layout does not fit this fast-tier host (another number of VMs or cores?)');
    }
    this.S.set(s.data);
  }
}

/** CDF at t (ns) of VM v's steady latency: (1 − q − q2)·(EMG + link-order delay) + q, q2·uniform tails (model.ts F_TAIL_*). */
function vmSteadyCdf(st: Steady, v: number, t: number): number {
  const o = v * NF, vm = st.vm, dl = st.dly, b = v * NDLY * 2;
  const D = vm[o + F_LAT_D]!, Sd = vm[o + F_LAT_S]!, sig = vm[o + F_LAT_SIG]!, q = vm[o + F_TAIL_Q]!, q2 = vm[o + F_TAIL_Q2]!;
  let main = 0;
  for (let k = 0; k < NDLY; k++) {
    const w = dl[b + 2 * k + 1]!;
    if (w > 0) main += w * emgCdf(t - dl[b + 2 * k]!, D, Sd, sig);
  }
  if (q > 0 || q2 > 0) {
    const T0 = vm[o + F_TAIL_T0]!, W = vm[o + F_TAIL_W]!;
    const tail = t < T0 ? 0 : W > 0 ? Math.min(1, (t - T0) / W) : 1;
    main = (1 - q - q2) * main + q * tail;
    if (q2 > 0) {
      const T2 = vm[o + F_TAIL_T02]!, W2 = vm[o + F_TAIL_W2]!;
      main += q2 * (t < T2 ? 0 : W2 > 0 ? Math.min(1, (t - T2) / W2) : 1);
    }
  }
  return main;
}

/** p50 and p99 (µs) of a steady state's latency mixture (per-VM distributions weighted by transactions/s). */
function steadyQuantiles(st: Steady, nV: number): [number, number] {
  let tot = 0, lo = Infinity, hi = 0;
  for (let v = 0; v < nV; v++) {
    const o = v * NF, w = st.vm[o + F_TPS]!;
    if (!(w > 0)) continue;
    tot += w;
    let dmax = 0;
    for (let k = 0; k < NDLY; k++) dmax = Math.max(dmax, st.dly[v * NDLY * 2 + 2 * k]!);
    lo = Math.min(lo, st.vm[o + F_LAT_D]! - 8 * st.vm[o + F_LAT_SIG]!);
    hi = Math.max(hi, st.vm[o + F_LAT_D]! + 12 * st.vm[o + F_LAT_S]! + 8 * st.vm[o + F_LAT_SIG]! + dmax, st.vm[o + F_TAIL_T0]! + st.vm[o + F_TAIL_W]!, st.vm[o + F_TAIL_T02]! + st.vm[o + F_TAIL_W2]!);
  }
  if (!(tot > 0)) return [NaN, NaN];
  const quant = (q: number): number => {
    let a = Math.max(0, lo), b = hi;
    for (let it = 0; it < 60 && b - a > 5e-4 * b; it++) {
      const mid = 0.5 * (a + b);
      let F = 0;
      for (let v = 0; v < nV; v++) { const w = st.vm[v * NF + F_TPS]!; if (w > 0) F += w * vmSteadyCdf(st, v, mid); }
      if (F / tot < q) a = mid; else b = mid;
    }
    return 0.5 * (a + b);
  };
  return [quant(0.5) / 1000, quant(0.99) / 1000];
}

/** The shared latency grid: NGRID log-spaced points from 200 ns (ratio 1.055 → up to ≈ 170 ms). */
const NGRID = 256, GRID_T0 = 200, GRID_R = 1.055, GRID_LOGR = Math.log(GRID_R);
const GRID_T = Float64Array.from({ length: NGRID }, (_, g) => GRID_T0 * Math.pow(GRID_R, g));

/** A steady state's latency mixture CDF on the grid. */
function steadyCdfTable(st: Steady, nV: number): Float64Array {
  const tab = new Float64Array(NGRID);
  let tot = 0;
  for (let v = 0; v < nV; v++) tot += st.vm[v * NF + F_TPS]! > 0 ? st.vm[v * NF + F_TPS]! : 0;
  if (!(tot > 0)) return tab.fill(1);
  for (let v = 0; v < nV; v++) {
    const w = st.vm[v * NF + F_TPS]!;
    if (!(w > 0)) continue;
    for (let g = 0; g < NGRID; g++) tab[g] = tab[g]! + (w / tot) * vmSteadyCdf(st, v, GRID_T[g]!);
  }
  return tab;
}

/** Whether a table is finite and non-decreasing. */
function nonDecreasing(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!) || (i > 0 && !(a[i]! >= a[i - 1]!))) return false;
  return true;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const e = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + e) : 0.5 * (1 - e);
}

/** CDF of an exponentially modified Gaussian: D + N(0, σ²) + Exp(mean S). */
function emgCdf(t: number, D: number, Sd: number, sig: number): number {
  if (sig <= 1e-9 * (Sd + 1)) return t < D ? 0 : Sd > 0 ? 1 - Math.exp(-(t - D) / Sd) : 1;
  const z = (t - D) / sig;
  if (Sd <= 1e-3 * sig) return phi(z);
  const lam = 1 / Sd, ls = lam * sig;
  const ex = -lam * (t - D) + 0.5 * ls * ls;
  if (ex > 700) return phi(z);
  return Math.max(0, phi(z) - Math.exp(ex) * phi(z - ls));
}

/** CDF of component at `b`: (1−q)·EMG(D, σ, S) + q·uniform on [T0, T0 + W]. */
function compCdf(a: Float64Array, b: number, t: number): number {
  const q = a[b + C_Q]!;
  let main = q >= 1 ? 0 : emgCdf(t, a[b + C_D]!, a[b + C_S]!, a[b + C_SIG]!);
  if (q > 0) {
    const T0 = a[b + C_T0]!, W = a[b + C_TW]!;
    const tail = t < T0 ? 0 : W > 0 ? Math.min(1, (t - T0) / W) : 1;
    main = (1 - q) * main + q * tail;
  }
  return main;
}

/** Quantile (ns) of the mixture of n components stored from offset `off`, by bisection. */
function mixtureQuantile(a: Float64Array, off: number, n: number, q: number): number {
  let tot = 0, hi = 0, lo = Infinity;
  for (let i = 0; i < n; i++) {
    const b = off + i * NC;
    tot += a[b + C_W]!;
    lo = Math.min(lo, a[b + C_D]! - 8 * a[b + C_SIG]!);
    hi = Math.max(hi, a[b + C_D]! + 12 * a[b + C_S]! + 8 * a[b + C_SIG]!, a[b + C_Q]! > 0 ? a[b + C_T0]! + a[b + C_TW]! : 0);
  }
  if (!(tot > 0)) return NaN;
  lo = Math.max(0, lo);
  // bisection to 0.05 % of the answer (the detailed tier's histogram bins are 2 % wide)
  for (let it = 0; it < 60 && hi - lo > 5e-4 * hi; it++) {
    const mid = 0.5 * (lo + hi);
    let F = 0;
    for (let i = 0; i < n; i++) {
      const b = off + i * NC;
      F += a[b + C_W]! * compCdf(a, b, mid);
    }
    if (F / tot < q) lo = mid; else hi = mid;
  }
  return 0.5 * (lo + hi);
}
