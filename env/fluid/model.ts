/**
 * The steady state of one host configuration (one scenario phase at x I/O cores), computed analytically
 * from rates and capacities: the equations of `docs/fluid.md`. Every cost comes from `env/sim/costs.ts`
 * (rounded to whole cycles exactly as `HostSim` rounds them), so the two tiers are one model.
 *
 * The result is a flat `Float64Array` per VM (field offsets `F_*`) plus per-worker totals: rates per
 * second of everything the counters and metrics report. `FluidHost` integrates these rates over time,
 * with reconfiguration transients on top. A steady state is a pure function of (scenario, phase, x,
 * costs, host overrides), so `FluidHost` caches it; it is never part of a snapshot. This module holds
 * the fields, the per-unit demands of each workload and the shared-resource helpers; the solve itself
 * is `steady.ts`.
 */
import { DEFAULT_COSTS, type Costs } from '../sim/costs.js';
import type { Workload } from '../scenarios/scenario.js';
import { chainHeaderBytes } from '../sim/ring-bytes.js';

// ---- per-VM fields (rates per second unless noted) ------------------------------------------------
export const F_TPS = 0, F_GOOD = 1, F_COMPUTE = 2, F_LAT_MEAN = 3, F_LAT_D = 4, F_LAT_S = 5, F_TAIL_Q = 6, F_TAIL_W = 7,
  F_GUEST = 8, F_EXIT = 9, F_VMCTX = 10, F_KICK = 11, F_INJ = 12, F_EOI = 13, F_HLT = 14, F_IRQ = 15, F_CSW = 16,
  F_VHOST = 17, F_IOCTX = 18, F_WKWORK = 19, F_HB = 20, F_HP = 21, F_VISITS = 22, F_WORKER = 23, F_ACTIVE = 24, F_LAT_SIG = 25,
  F_TAIL_T0 = 26, F_TAIL_Q2 = 27, F_TAIL_T02 = 28, F_TAIL_W2 = 29,
  // kick-to-service estimate (cycles) of the VM's TX posts and their rate (docs/fluid.md §6); read only by the reading
  F_KS = 30, F_KSN = 31, NF = 32;
/**
 * Latency fields are in ns; cycle fields in cycles/s; F_COMPUTE in compute cycles/s; F_WORKER the worker index (−1 baseline).
 * The latency distribution is (1 − q − q2)·(EMG(F_LAT_D, F_LAT_SIG, F_LAT_S) + link-order delay) + q·U[F_TAIL_T0, F_TAIL_T0 + F_TAIL_W]
 * + q2·U[F_TAIL_T02, F_TAIL_T02 + F_TAIL_W2] (q = F_TAIL_Q, q2 = F_TAIL_Q2: the time-slice tails).
 */

export interface Steady {
  /** nVm × NF. */
  vm: Float64Array;
  /** Per worker (maxIo slots): work cycles/s and non-empty visits/s. */
  wkWork: Float64Array;
  wkVisits: Float64Array;
  /**
   * Per VM, NDLY points (δ ns, weight) of the extra wait its requests get on the remote → host link
   * (see `orderDelay`); the latency is the EMG of F_LAT_* plus this delay.
   */
  dly: Float64Array;
  /** Exit latency (cycles) of the idle state the VM cores that take wake-ups are in (cstates.ts). */
  wakeExit: number;
}

/** Points of the link-order delay distribution per VM: TAU_BINS departure offsets × (atom + LEVELS quantiles). */
const TAU_BINS = 6, LEVELS = 3;
export const NDLY = TAU_BINS * (1 + LEVELS);

/**
 * The detailed tier's remote clients book each request's departure in the future (now + turnaround,
 * U(0.5, 1.5) × T) on the shared remote → host link, in call order: a request waits for every request
 * booked before it that departs later. With other bookings at rate Λ (per cycle) and their offsets τ_b
 * uniform on [T/2, 3T/2], the wait Δ of a request with offset τ_a has P(Δ ≤ δ) = exp(−Λ·g(τ_a + δ)),
 * g(c) = E[(τ_b − c)⁺] (T − c below T/2, (3T/2 − c)²/2T up to 3T/2, 0 above). Open-loop requests
 * (τ_a = 0) wait too. Writes NDLY points (δ cycles, weight) at `off` and returns the mean (cycles).
 */
export function orderDelay(lam: number, T: number, closed: boolean, out: Float64Array, off: number): number {
  const g = (c: number) => (c <= 0.5 * T ? T - c : c >= 1.5 * T ? 0 : (1.5 * T - c) ** 2 / (2 * T));
  const gInv = (y: number) => (y >= 0.5 * T ? T - y : 1.5 * T - Math.sqrt(2 * T * y));
  let mean = 0, k = 0;
  const nb = closed ? TAU_BINS : 1;
  for (let i = 0; i < TAU_BINS; i++) {
    const wTau = i < nb ? 1 / nb : 0;
    const tau = closed ? T * (0.5 + (i + 0.5) / TAU_BINS) : 0;
    const p0 = lam > 0 ? Math.exp(-lam * g(tau)) : 1;
    out[off + 2 * k] = 0; out[off + 2 * k + 1] = wTau * p0; k++;
    for (let j = 0; j < LEVELS; j++) {
      const p = p0 + (1 - p0) * (j + 0.5) / LEVELS;
      const dl = lam > 0 && p < 1 ? Math.max(0, gInv(-Math.log(p) / lam) - tau) : 0;
      out[off + 2 * k] = dl; out[off + 2 * k + 1] = wTau * (1 - p0) / LEVELS; k++;
      mean += wTau * (1 - p0) / LEVELS * dl;
    }
  }
  return mean;
}

/** Derived integer costs, rounded as `HostSim` rounds them. */
export interface Derived {
  G: number; ghz: number;
  kick: number; inject: number; eoi: number; hlt: number; csw: number; idleWake: number; lat: number; minGran: number;
  mig: number; vPkt: number; vByte: number; vBatch: number; E: number; poll: number; gTx: number; gRx: number; gByte: number;
  gIrq: number; sys: number; wire: number; turn: number; wkCreate: number; move: number; moveWork: number; irqMove: number; bitCycles: number;
  udp: number; napiWeight: number; visitMax: number; tso: number; mss: number; frameOv: number; ackBytes: number;
  /** Bytes vhost counts per chain on top of the payload (env/sim/ring-bytes.ts): TCP, UDP, pure ACK frame. */
  hdrTcp: number; hdrUdp: number; hdrAck: number;
  cStates: Costs['cStates'];
}

export function deriveCosts(k: Costs, ghz: number, nicGbps: number): Derived {
  const r = Math.round;
  return {
    G: ghz * 1e9, ghz,
    kick: r(k.exitKickCycles + k.exitIndirectCycles), inject: r(k.exitInjectCycles + k.exitIndirectCycles),
    eoi: r(k.exitEoiCycles + k.exitIndirectCycles), hlt: r(k.exitHltCycles), csw: r(k.contextSwitchCycles + k.contextSwitchIndirectCycles),
    idleWake: r(k.idleWakeNs * ghz), lat: r(k.schedLatencyNs * ghz), minGran: r(k.schedMinGranularityNs * ghz),
    mig: r(k.migrationCycles), vPkt: k.vhostPerPacketCycles, vByte: k.vhostPerByteCycles, vBatch: r(k.vhostPerBatchCycles),
    E: r(k.emptyPollCycles + k.workerLoopCycles), poll: r(k.emptyPollCycles), gTx: k.guestTxPerPacketCycles,
    gRx: k.guestRxPerPacketCycles, gByte: k.guestPerByteCycles, gIrq: r(k.guestIrqCycles), sys: k.guestSyscallCycles,
    wire: r(k.wireLatencyNs * ghz), turn: k.remoteTurnaroundNs * ghz, wkCreate: r(k.workerCreateCycles), move: r(k.deviceMoveNs * ghz),
    moveWork: r(k.deviceMoveWorkCycles), irqMove: r(k.irqMoveCycles), bitCycles: (8 / nicGbps) * ghz, udp: k.guestUdpFactor, napiWeight: k.napiWeight,
    visitMax: k.visitMaxBytes, tso: k.tsoBytes, mss: k.mssBytes, frameOv: k.frameOverheadBytes, ackBytes: k.ackBytes,
    hdrTcp: chainHeaderBytes(k, false), hdrUdp: chainHeaderBytes(k, true), hdrAck: k.vnetHdrBytes, cStates: k.cStates,
  };
}

export interface HostShape {
  cores: number;
  nics: number;
  exitless: boolean;
  maxIo: number;
  /** Guests booted with idle=poll (scenario host.guestIdle): idle vCPUs spin in the guest, never halt. */
  idlePoll: boolean;
}

// ---- per-unit demands of one VM's workload ---------------------------------------------------------
const K_IDLE = 0, K_CPU = 1, K_TRANS = 2, K_STX = 3, K_SRX = 4;

/**
 * What one unit of a VM's work (a transaction, a stream burst) asks of the host. The numeric fields
 * start as NaN and are then zeroed: V8 gives a field the representation of the first value stored in
 * it, and a field first given a small integer (0) that later holds a fraction changes the object's
 * hidden class, which deoptimised every stage of the steady-state solve each time a new workload mix
 * came along (`steady.ts`). NaN is a heap number, so every field is a double from the first unit on.
 */
export class Unit {
  kind = K_IDLE;
  /** Closed-loop population (0 = open loop) and open-loop rate (/s). */
  k = NaN; rate = NaN;
  /** Guest cycles per unit excluding notification overheads. */
  guest = NaN;
  /** Guest cycles per unit spent in the NAPI softirq (for interrupt suppression). */
  napi = NaN;
  /** Host (vhost) per-message cycles, RX direction (host → guest) and TX direction (guest → host), per unit. */
  hostRx = NaN; hostTx = NaN;
  /** Messages per unit in each direction. */
  msgRx = NaN; msgTx = NaN;
  /** Handled bytes and packets per unit (both directions). */
  hb = NaN; hp = NaN;
  /** Wire cycles per unit on the host→remote and remote→host links. */
  wireOut = NaN; wireIn = NaN;
  /** Goodput bytes per unit. */
  good = NaN;
  /** Guest application cycles per unit (for the ±50 % jitter of the latency spread). */
  app = NaN;

  constructor(readonly vcpus: number) {
    this.k = 0; this.rate = 0; this.guest = 0; this.napi = 0; this.hostRx = 0; this.hostTx = 0; this.msgRx = 0; this.msgTx = 0;
    this.hb = 0; this.hp = 0; this.wireOut = 0; this.wireIn = 0; this.good = 0; this.app = 0;
  }
}

function wireCycles(d: Derived, bytes: number): number {
  const frames = Math.max(1, Math.ceil(bytes / d.mss));
  return Math.max(1, Math.round((bytes + frames * d.frameOv) * d.bitCycles));
}

function burstBytes(w: Workload): number {
  const seg = w.segmentBytes;
  return seg >= w.messageBytes ? seg : Math.max(1, Math.floor(w.messageBytes / seg)) * seg;
}

export function unitOf(w: Workload, d: Derived, vcpus: number): Unit {
  const u = new Unit(vcpus);
  const udp = w.type === 'udp_rr' ? d.udp : 1;
  const gTx = d.gTx * udp, gRx = d.gRx * udp;
  const pk = (b: number) => Math.max(1, Math.ceil(b / d.tso));
  if (w.type === 'tcp_stream_tx' || w.type === 'tcp_stream_rx') {
    const B = burstBytes(w), nseg = Math.ceil(B / w.segmentBytes), unit = Math.max(2 * d.mss, w.segmentBytes);
    const ackPkts = B / unit, ackMsgs = Math.min(1, B / unit), ackB = ackPkts * d.ackBytes;
    u.good = B; u.msgTx = 1; u.msgRx = ackMsgs;
    if (w.type === 'tcp_stream_tx') {
      u.kind = K_STX;
      u.guest = d.sys * (B / w.messageBytes) + gTx * nseg + d.gByte * B + gRx * ackPkts;
      u.napi = gRx * ackPkts;
      u.hostTx = d.vPkt * nseg + d.vByte * B; u.hostRx = d.vPkt * ackPkts + d.vByte * ackB;
      u.msgTx = 1; u.msgRx = ackMsgs;
      u.wireOut = wireCycles(d, B); u.wireIn = ackMsgs * wireCycles(d, ackB / Math.max(ackMsgs, 1e-9));
    } else {
      u.kind = K_SRX;
      u.guest = gRx * nseg + d.gByte * B + d.sys * (B / w.messageBytes) + gTx * (B / unit);
      u.napi = u.guest;
      u.hostRx = d.vPkt * nseg + d.vByte * B; u.hostTx = d.vPkt * ackPkts + d.vByte * ackB;
      u.msgRx = 1; u.msgTx = ackMsgs;
      u.wireIn = wireCycles(d, B); u.wireOut = ackMsgs * wireCycles(d, ackB / Math.max(ackMsgs, 1e-9));
    }
    // chain bytes as vhost counts them: headers on every segment, the virtio-net header on every ACK frame
    u.hb = B + nseg * d.hdrTcp + ackB + ackPkts * d.hdrAck; u.hp = nseg + ackPkts;
    return u;
  }
  if (w.cpuBound || w.outstanding > 0 || w.ratePerSec > 0) {
    u.kind = w.cpuBound ? K_CPU : K_TRANS;
    u.k = w.cpuBound ? 0 : w.outstanding; u.rate = w.ratePerSec;
    // memcached: GET (request, response) with probability getRatio, else SET (value in the request, 8 B reply)
    const g = w.type === 'memcached' ? w.getRatio : 1;
    const reqSet = w.valueBytes + w.keyBytes + 40;
    const req = g * w.requestBytes + (1 - g) * reqSet, resp = g * w.responseBytes + (1 - g) * 8;
    const pReq = g * pk(w.requestBytes) + (1 - g) * pk(reqSet), pResp = g * pk(w.responseBytes) + (1 - g);
    u.napi = gRx * pReq + d.gByte * req;
    u.app = w.appCycles;
    u.guest = u.napi + 2 * d.sys + w.appCycles + gTx * pResp + d.gByte * resp;
    u.hostRx = d.vPkt * pReq + d.vByte * req; u.hostTx = d.vPkt * pResp + d.vByte * resp;
    u.msgRx = 1; u.msgTx = 1;
    u.hb = req + resp + (pReq + pResp) * (w.type === 'udp_rr' ? d.hdrUdp : d.hdrTcp); u.hp = pReq + pResp;
    u.wireIn = g * wireCycles(d, w.requestBytes) + (1 - g) * wireCycles(d, reqSet);
    u.wireOut = g * wireCycles(d, w.responseBytes) + (1 - g) * wireCycles(d, 8);
    u.good = req + resp;
    return u;
  }
  return u;
}

/** Fair share of `cap` among demands (water-filling): each gets min(demand, level). Writes into `out`. */
export function waterFill(dem: Float64Array, n: number, cap: number, out: Float64Array): number {
  let tot = 0;
  for (let i = 0; i < n; i++) tot += dem[i]!;
  if (tot <= cap) { for (let i = 0; i < n; i++) out[i] = dem[i]!; return Infinity; }
  // level L: Σ min(d_i, L) = cap
  let left = cap, m = 0;
  for (let i = 0; i < n; i++) if (dem[i]! > 0) m++;
  const done = new Uint8Array(n);
  for (;;) {
    const L = m > 0 ? left / m : 0;
    let changed = false;
    for (let i = 0; i < n; i++) {
      if (done[i] || dem[i]! <= 0) continue;
      if (dem[i]! <= L) { out[i] = dem[i]!; left -= dem[i]!; m--; done[i] = 1; changed = true; }
    }
    if (!changed) {
      for (let i = 0; i < n; i++) if (!done[i]) out[i] = dem[i]! > 0 ? L : 0;
      return L;
    }
  }
}

export { K_CPU, K_IDLE, K_SRX, K_STX, K_TRANS };
export const DEFAULTS = DEFAULT_COSTS;
