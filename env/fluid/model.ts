/**
 * The steady state of one host configuration (one scenario phase at x I/O cores), computed analytically
 * from rates and capacities: the equations of `docs/fluid.md`. Every cost comes from `env/sim/costs.ts`
 * (rounded to whole cycles exactly as `HostSim` rounds them), so the two tiers are one model.
 *
 * The result is a flat `Float64Array` per VM (field offsets `F_*`) plus per-worker totals: rates per
 * second of everything the counters and metrics report. `FluidHost` integrates these rates over time,
 * with reconfiguration transients on top. A steady state is a pure function of (scenario, phase, x,
 * costs, host overrides), so `FluidHost` caches it; it is never part of a snapshot.
 */
import { DEFAULT_COSTS, type Costs } from '../sim/costs.js';
import type { Scenario, Workload } from '../sim/scenario.js';

// ---- per-VM fields (rates per second unless noted) ------------------------------------------------
export const F_TPS = 0, F_GOOD = 1, F_COMPUTE = 2, F_LAT_MEAN = 3, F_LAT_D = 4, F_LAT_S = 5, F_TAIL_Q = 6, F_TAIL_W = 7,
  F_GUEST = 8, F_EXIT = 9, F_VMCTX = 10, F_KICK = 11, F_INJ = 12, F_EOI = 13, F_HLT = 14, F_IRQ = 15, F_CSW = 16,
  F_VHOST = 17, F_IOCTX = 18, F_WKWORK = 19, F_HB = 20, F_HP = 21, F_VISITS = 22, F_WORKER = 23, F_ACTIVE = 24, F_LAT_SIG = 25,
  F_TAIL_T0 = 26, F_TAIL_Q2 = 27, F_TAIL_T02 = 28, F_TAIL_W2 = 29, NF = 30;
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
function orderDelay(lam: number, T: number, closed: boolean, out: Float64Array, off: number): number {
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
  gIrq: number; sys: number; wire: number; turn: number; wkCreate: number; move: number; moveWork: number; bitCycles: number;
  udp: number; napiWeight: number; visitMax: number; tso: number; mss: number; frameOv: number; ackBytes: number;
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
    moveWork: r(k.deviceMoveWorkCycles), bitCycles: (8 / nicGbps) * ghz, udp: k.guestUdpFactor, napiWeight: k.napiWeight,
    visitMax: k.visitMaxBytes, tso: k.tsoBytes, mss: k.mssBytes, frameOv: k.frameOverheadBytes, ackBytes: k.ackBytes,
  };
}

export interface HostShape {
  cores: number;
  nics: number;
  exitless: boolean;
  maxIo: number;
}

// ---- per-unit demands of one VM's workload ---------------------------------------------------------
const K_IDLE = 0, K_CPU = 1, K_TRANS = 2, K_STX = 3, K_SRX = 4;

interface Unit {
  kind: number;
  /** Closed-loop population (0 = open loop) and open-loop rate (/s). */
  k: number; rate: number;
  /** Guest cycles per unit excluding notification overheads. */
  guest: number;
  /** Guest cycles per unit spent in the NAPI softirq (for interrupt suppression). */
  napi: number;
  /** Host (vhost) per-message cycles, RX direction (host → guest) and TX direction (guest → host), per unit. */
  hostRx: number; hostTx: number;
  /** Messages per unit in each direction. */
  msgRx: number; msgTx: number;
  /** Handled bytes and packets per unit (both directions). */
  hb: number; hp: number;
  /** Wire cycles per unit on the host→remote and remote→host links. */
  wireOut: number; wireIn: number;
  /** Goodput bytes per unit. */
  good: number;
  /** Guest application cycles per unit (for the ±50 % jitter of the latency spread). */
  app: number;
  vcpus: number;
}

function wireCycles(d: Derived, bytes: number): number {
  const frames = Math.max(1, Math.ceil(bytes / d.mss));
  return Math.max(1, Math.round((bytes + frames * d.frameOv) * d.bitCycles));
}

function burstBytes(w: Workload): number {
  const seg = w.segmentBytes;
  return seg >= w.messageBytes ? seg : Math.max(1, Math.floor(w.messageBytes / seg)) * seg;
}

function unitOf(w: Workload, d: Derived, vcpus: number): Unit {
  const u: Unit = { kind: K_IDLE, k: 0, rate: 0, guest: 0, napi: 0, hostRx: 0, hostTx: 0, msgRx: 0, msgTx: 0, hb: 0, hp: 0, wireOut: 0, wireIn: 0, good: 0, app: 0, vcpus };
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
    u.hb = B + ackB; u.hp = nseg + ackPkts;
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
    u.hb = req + resp; u.hp = pReq + pResp;
    u.wireIn = g * wireCycles(d, w.requestBytes) + (1 - g) * wireCycles(d, reqSet);
    u.wireOut = g * wireCycles(d, w.responseBytes) + (1 - g) * wireCycles(d, 8);
    u.good = req + resp;
    return u;
  }
  return u;
}

/** Fair share of `cap` among demands (water-filling): each gets min(demand, level). Writes into `out`. */
function waterFill(dem: Float64Array, n: number, cap: number, out: Float64Array): number {
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

/**
 * The steady state of phase `phase` of `sc` at `x` I/O cores. Rates per second; see `F_*`.
 */
export function solveSteady(sc: Scenario, phase: number, x: number, d: Derived, h: HostShape): Steady {
  const ws = sc.phases[phase]!.workloads;
  const nV = ws.length, G = d.G;
  const M = h.cores - x;
  const side = x > 0;
  const injected = !side || !h.exitless;
  const units = ws.map((w, v) => unitOf(w, d, sc.vms[v]?.vcpus ?? 1));
  const out = new Float64Array(nV * NF);
  const wkWork = new Float64Array(Math.max(1, h.maxIo)), wkVisits = new Float64Array(Math.max(1, h.maxIo));

  // iteration state
  const X = new Float64Array(nV); // units/s
  const Uv = new Float64Array(nV); // vCPU0 busy fraction (of a core)
  const Uh = new Float64Array(nV); // baseline vhost thread busy fraction
  const sV = new Float64Array(nV).fill(1); // CPU speed factor of VM v's vCPU0 (fair share / demand)
  const sH = new Float64Array(nV).fill(1); // ... of its vhost thread
  const wkShare = new Float64Array(nV).fill(1); // fraction of its worker core VM v may use (max-min level)
  const nicShareOut = new Float64Array(nV).fill(1), nicShareIn = new Float64Array(nV).fill(1);
  const bRx = new Float64Array(nV).fill(1), bTx = new Float64Array(nV).fill(1); // messages per visit / handler run
  const compute = new Float64Array(nV); // compute cores (cpu workloads)
  const lat = new Float64Array(nV), RcA = new Float64Array(nV), RhA = new Float64Array(nV);
  const perUnit = new Float64Array(nV * 12);
  const offPath = new Float64Array(nV); // per unit: guest cycles not on the request's path (see below)
  // per-unit notification counts
  const P_IRQ = 0, P_INJ = 1, P_EOI = 2, P_HLT = 3, P_KICK = 4, P_CSW_V = 5, P_CSW_H = 6, P_RUNS = 7, P_VIS = 8, P_GUEST = 9, P_HOST = 10, P_WAKE = 11;

  // threads that compete for the VM cores: active vCPUs (+ baseline vhost threads of I/O VMs)
  let nThreads = 0, nAlwaysRunnable = 0;
  for (let v = 0; v < nV; v++) {
    const u = units[v]!;
    if (u.kind === K_IDLE) continue;
    nThreads += u.kind === K_CPU ? u.vcpus : 1;
    if (u.kind === K_CPU) nAlwaysRunnable += u.vcpus;
    if (!side && u.kind !== K_CPU) nThreads += 1;
    else if (!side && u.kind === K_CPU && u.rate > 0) nThreads += 1;
  }
  // context-switch probability per dispatch of a woken thread: its last core ran another thread since.
  // Threads outnumber cores → cores are shared (2(T − M)/T). In the baseline, each VM's vCPU and vhost
  // thread wake each other on whichever core is idle (the lowest-numbered when their last one is
  // taken), so affinity is lost as soon as several VMs do I/O: an empirical 0.4 per extra I/O VM,
  // at most 0.8 (the detailed tier's TCP_RR and memcached runs with 1–7 VMs).
  let nIo = 0;
  for (let v = 0; v < nV; v++) if (units[v]!.kind !== K_IDLE && units[v]!.kind !== K_CPU) nIo++;
  const pShare = nThreads > M ? Math.min(1, (2 * (nThreads - M)) / nThreads) : 0;
  const pCsw = side ? pShare : Math.max(pShare, Math.min(0.8, 0.4 * Math.max(0, nIo - 1)));
  // busy fraction of the VM cores (previous iteration): a woken thread that finds no idle core
  // preempts a running one, which pays a switch when it gets back (wake-up preemption)
  let rhoCores = 0;

  const wkOf = (v: number) => (side ? v % x : -1);
  const nqOf = new Float64Array(Math.max(1, x));
  if (side) for (let v = 0; v < nV; v++) nqOf[wkOf(v)] = nqOf[wkOf(v)]! + 2;

  const demTh = new Float64Array(2 * nV + 1), allocTh = new Float64Array(2 * nV + 1);
  const demWk = new Float64Array(nV), allocWk = new Float64Array(nV);
  const demNic = new Float64Array(nV), allocNic = new Float64Array(nV);
  const Q = new Float64Array(nV * 3); // AMVA queue lengths: vCPU, host (worker/vhost), unused

  // NIC FIFO backlog (cycles of waiting) per NIC and direction: a window-limited stream whose
  // bottleneck is the link keeps its whole window queued there, ahead of every other VM's messages
  const nicQIn = new Float64Array(h.nics), nicQOut = new Float64Array(h.nics);
  // per NIC: the mean wait behind a sending stream's burst on the host → remote link (cycles)
  const nicBurst = new Float64Array(h.nics);
  // mean link-order wait of each VM's requests (cycles), and the booking rates per NIC
  const dlyMean = new Float64Array(nV);
  const dlyTmp = new Float64Array(2 * NDLY);
  for (let it = 0; it < 60; it++) {
    const damp = it < 5 ? 1 : 0.5;
    // worker utilisation (for poll round and batching)
    const wkU = new Float64Array(Math.max(1, x));
    if (side) for (let v = 0; v < nV; v++) wkU[wkOf(v)] = wkU[wkOf(v)]! + X[v]! * perUnit[v * 12 + P_HOST]! / G;
    for (let v = 0; v < nV; v++) {
      const u = units[v]!, o = v * 12;
      if (u.kind === K_IDLE) continue;
      const uv = Math.min(1, Uv[v]!), uh = Math.min(1, Uh[v]!);
      const napiFrac = u.guest > 0 ? Math.min(1, u.napi / u.guest) : 0;
      let irq: number, inj: number, eoi: number, hlt: number, kick = 0, runs = 0, vis = 0, cswV: number, cswH = 0, host: number;
      if (side) {
        const j = wkOf(v);
        // batching: messages that accumulate during one polling round of the worker
        const round = (nqOf[j]! * d.E) / G / Math.max(0.02, 1 - Math.min(0.98, wkU[j]!));
        bRx[v] = Math.max(1, X[v]! * u.msgRx * round);
        bTx[v] = Math.max(1, X[v]! * u.msgTx * round);
        vis = u.msgRx / bRx[v]! + u.msgTx / bTx[v]!;
        host = u.hostRx + u.hostTx + d.poll * vis;
        irq = (u.msgRx / bRx[v]!) * (1 - uv * napiFrac);
        eoi = injected ? irq : 0;
        inj = injected ? irq * uv : 0;
        hlt = u.kind === K_CPU ? 0 : Math.min(irq, u.msgRx * (1 - uv));
        cswV = hlt * pCsw;
      } else {
        // baseline: the vhost thread wakes on a kick or on packets from the NIC, runs its handler
        // until both queues are empty, then re-enables notifications (EVENT_IDX) and sleeps
        const msgs = u.msgRx + u.msgTx;
        const wakes = msgs * (1 - uh);
        // handler runs: one per wake-up, and while it is busy the handler is picked again for what
        // arrived during its previous run (≈ one message per run at moderate load): msgs·(1 − U_h²)
        runs = Math.max(msgs * (1 - uh * uh), Math.min(msgs, 1));
        kick = u.msgTx * (1 - uh);
        bRx[v] = 1; bTx[v] = 1;
        host = u.hostRx + u.hostTx + d.vBatch * runs;
        irq = u.msgRx * (1 - uv * napiFrac) * (1 - 0.5 * uh);
        eoi = irq;
        inj = u.kind === K_CPU ? irq : irq * uv;
        hlt = u.kind === K_CPU ? 0 : Math.min(irq, u.msgRx * (1 - uv));
        const pPre = Math.pow(Math.min(1, rhoCores), M / 2);
        cswV = hlt * pCsw + wakes * pPre;
        cswH = wakes * pCsw;
        // a wake-up preemption's switch is paid by the preempted thread when it gets back: a running
        // vCPU, this VM's own in 1/M of the cases. Only that one, at the request's (RX) wake-up, is on
        // the request's path (its vCPU must come back to take the interrupt); the rest are charged to
        // this VM (cycles, counters) but delay no request of it
        offPath[v] = (wakes - (u.msgRx * (1 - uh)) / M) * pPre * d.csw;
      }
      perUnit[o + P_IRQ] = irq; perUnit[o + P_INJ] = inj; perUnit[o + P_EOI] = eoi; perUnit[o + P_HLT] = hlt; perUnit[o + P_KICK] = kick;
      perUnit[o + P_CSW_V] = cswV; perUnit[o + P_CSW_H] = cswH; perUnit[o + P_RUNS] = runs; perUnit[o + P_VIS] = vis;
      perUnit[o + P_GUEST] = u.guest + irq * d.gIrq + eoi * d.eoi + inj * d.inject + hlt * d.hlt + kick * d.kick + cswV * d.csw;
      perUnit[o + P_HOST] = host + cswH * d.csw;
      perUnit[o + P_WAKE] = hlt;
    }

    // ---- rates given the current shares ----
    const Xn = new Float64Array(nV);
    for (let v = 0; v < nV; v++) {
      const u = units[v]!, o = v * 12;
      if (u.kind === K_IDLE) continue;
      const gU = perUnit[o + P_GUEST]!, hU = perUnit[o + P_HOST]!;
      const capCpu = (sV[v]! * G) / gU; // units/s the vCPU can do
      const capHost = side ? (wkShare[v]! * G) / Math.max(hU, 1) : (sH[v]! * G) / Math.max(hU, 1);
      const capNic = Math.min(nicShareOut[v]! * G / Math.max(u.wireOut, 1e-9), nicShareIn[v]! * G / Math.max(u.wireIn, 1e-9));
      if (u.kind === K_STX || u.kind === K_SRX) {
        Xn[v] = Math.min(capCpu, capHost, capNic);
        lat[v] = 0;
      } else if (u.kind === K_CPU || u.k === 0) {
        // open loop: the offered rate (queues grow without bound beyond capacity)
        const r = Math.min(u.rate, 0.999 * Math.min(capCpu, capHost, capNic));
        Xn[v] = r;
      } else {
        Xn[v] = -1; // closed loop: solved jointly below
      }
    }
    // closed loops (k outstanding): multi-class Schweitzer approximate MVA over each VM's vCPU, the
    // host path (the worker shared by the VMs it serves, or the VM's own baseline vhost thread) and a
    // delay (wire, remote turnaround, wake-ups, poll waits). Streams and open-loop VMs on a worker are
    // background load that inflates its service times.
    const bg = new Float64Array(Math.max(1, x));
    if (side) for (let v = 0; v < nV; v++) if (Xn[v]! >= 0 && units[v]!.kind !== K_IDLE) bg[wkOf(v)] = bg[wkOf(v)]! + X[v]! * perUnit[v * 12 + P_HOST]! / G;
    const Zc = new Float64Array(nV), Dcv = new Float64Array(nV), Dhv = new Float64Array(nV);
    for (let v = 0; v < nV; v++) {
      if (Xn[v]! >= 0) continue;
      const u = units[v]!, o = v * 12;
      const j = wkOf(v);
      const pollWait = side ? (nqOf[j]! * d.E) / 2 : 0;
      const wake = perUnit[o + P_WAKE]! * d.idleWake + (side ? 0 : (u.msgRx + u.msgTx) * (1 - Math.min(1, Uh[v]!)) * d.idleWake);
      Zc[v] = d.turn + 2 * d.wire + u.wireIn + u.wireOut + 2 * pollWait + wake + nicQIn[v % h.nics]! + nicQOut[v % h.nics]! + (side ? nicBurst[v % h.nics]! : 0) + dlyMean[v]!;
      Dcv[v] = perUnit[o + P_GUEST]! / sV[v]!;
      Dhv[v] = side ? perUnit[o + P_HOST]! / Math.max(0.05, 1 - Math.min(0.95, bg[j]!)) : perUnit[o + P_HOST]! / sH[v]!;
    }
    // closed-loop classes per worker: a class alone on its stations is solved by exact MVA
    // (populations 1..k); classes that share a worker by multi-class Schweitzer approximate MVA
    const nClosed = new Float64Array(Math.max(1, x));
    if (side) for (let v = 0; v < nV; v++) if (Xn[v]! < 0) nClosed[wkOf(v)] = nClosed[wkOf(v)]! + 1;
    const shared = (v: number) => side && nClosed[wkOf(v)]! > 1;
    for (let v = 0; v < nV; v++) {
      if (Xn[v]! >= 0 || shared(v)) continue;
      const kk = units[v]!.k, Dc = Dcv[v]!, Dh = Dhv[v]!, Z = Zc[v]!;
      let qc = 0, qh = 0, Rc = Dc, Rh = Dh, Xv = 0;
      for (let n = 1; n <= kk; n++) {
        // a worker visit takes everything queued on the VM's virtqueue: the VM's own messages are
        // served in batches and do not queue behind each other there (no own-queue term)
        Rc = Dc * (1 + qc); Rh = side ? Dh : Dh * (1 + qh);
        Xv = n / (Z + Rc + Rh);
        qc = Xv * Rc; qh = Xv * Rh;
      }
      Q[v * 3] = qc; Q[v * 3 + 1] = qh; Q[v * 3 + 2] = Xv;
      lat[v] = Rc + Rh + Z - d.turn;
      RcA[v] = Rc; RhA[v] = Rh;
    }
    const Qw = new Float64Array(Math.max(1, x)), wkClosedU = new Float64Array(Math.max(1, x));
    for (let m = 0; m < 400; m++) {
      Qw.fill(0); wkClosedU.fill(0);
      for (let v = 0; v < nV; v++) if (Xn[v]! < 0 && shared(v)) { Qw[wkOf(v)] = Qw[wkOf(v)]! + Q[v * 3 + 1]!; wkClosedU[wkOf(v)] = wkClosedU[wkOf(v)]! + Q[v * 3 + 2]! * Dhv[v]!; }
      let delta = 0;
      for (let v = 0; v < nV; v++) {
        if (Xn[v]! >= 0 || !shared(v)) continue;
        // exact recursion over the class's own population; the other classes on the worker add
        // their mean queue there (Schweitzer's cross-class term)
        const kk = units[v]!.k, Dc = Dcv[v]!, Dh = Dhv[v]!, Z = Zc[v]!;
        const qOthers = Math.max(0, Qw[wkOf(v)]! - Q[v * 3 + 1]!);
        // the visit in progress is near-deterministic: an arrival waits half of it on average
        const uOthers = Math.max(0, Math.min(0.99, wkClosedU[wkOf(v)]! - Q[v * 3 + 2]! * Dh));
        let qc = 0, qh = 0, Rc = Dc, Rh = Dh, Xv = 0;
        for (let n = 1; n <= kk; n++) {
          Rc = Dc * (1 + qc); Rh = Dh * (1 + qOthers - 0.5 * uOthers);
          Xv = n / (Z + Rc + Rh);
          qc = Xv * Rc; qh = Xv * Rh;
        }
        const oc = Q[v * 3]!, oh = Q[v * 3 + 1]!;
        delta += Math.abs(qc - oc) + Math.abs(qh - oh);
        Q[v * 3] = oc + 0.5 * (qc - oc); Q[v * 3 + 1] = oh + 0.5 * (qh - oh);
        Q[v * 3 + 2] = Xv;
        lat[v] = Rc + Rh + Z - d.turn;
        RcA[v] = Rc; RhA[v] = Rh;
      }
      if (delta < 1e-7) break;
    }
    // a worker cannot do more than its core: scale its closed-loop classes down to what is left
    if (side) {
      const uc = new Float64Array(x);
      for (let v = 0; v < nV; v++) if (Xn[v]! < 0) uc[wkOf(v)] = uc[wkOf(v)]! + Q[v * 3 + 2]! * perUnit[v * 12 + P_HOST]!;
      for (let v = 0; v < nV; v++) {
        if (Xn[v]! >= 0) continue;
        const j = wkOf(v), room = Math.max(0.02, 0.995 - bg[j]!);
        if (uc[j]! > room) {
          Q[v * 3 + 2] = Q[v * 3 + 2]! * room / uc[j]!;
          lat[v] = units[v]!.k / Q[v * 3 + 2]! - d.turn; // Little's law at the capped rate
        }
      }
    }
    for (let v = 0; v < nV; v++) {
      if (Xn[v]! >= 0) continue;
      const u = units[v]!;
      const capNic = Math.min(nicShareOut[v]! * G / Math.max(u.wireOut, 1e-9), nicShareIn[v]! * G / Math.max(u.wireIn, 1e-9));
      Xn[v] = Math.min(Q[v * 3 + 2]! * G, capNic);
    }
    {
      for (let v = 0; v < nV; v++) X[v] = it === 0 ? Xn[v]! : X[v]! + damp * (Xn[v]! - X[v]!);
    }
    // link-order waits (see orderDelay): bookings of closed-loop requests per NIC
    {
      const book = new Float64Array(h.nics);
      for (let v = 0; v < nV; v++) if (units[v]!.kind === K_TRANS && units[v]!.k > 0) book[v % h.nics] = book[v % h.nics]! + X[v]! / G;
      for (let v = 0; v < nV; v++) {
        const u = units[v]!;
        if (u.kind !== K_TRANS && !(u.kind === K_CPU && u.rate > 0)) continue;
        const closed = u.kind === K_TRANS && u.k > 0;
        const own = closed ? (X[v]! / G) / u.k : 0;
        dlyMean[v] = orderDelay(Math.max(0, book[v % h.nics]! - own), d.turn, closed, dlyTmp, 0);
      }
    }
    nicQIn.fill(0); nicQOut.fill(0);
    for (let v = 0; v < nV; v++) {
      const u = units[v]!, w = ws[v]!;
      if (u.kind !== K_STX && u.kind !== K_SRX) continue;
      const o = v * 12;
      const capCpu = (sV[v]! * G) / perUnit[o + P_GUEST]!;
      const capHost = (side ? wkShare[v]! : sH[v]!) * G / Math.max(perUnit[o + P_HOST]!, 1);
      const wc = u.kind === K_SRX ? u.wireIn : u.wireOut;
      const capNic = (u.kind === K_SRX ? nicShareIn[v]! : nicShareOut[v]!) * G / Math.max(wc, 1e-9);
      if (capNic <= 1.001 * Math.min(capCpu, capHost)) {
        const q = w.windowBytes * d.bitCycles;
        if (u.kind === K_SRX) nicQIn[v % h.nics] = nicQIn[v % h.nics]! + q; else nicQOut[v % h.nics] = nicQOut[v % h.nics]! + q;
      }
    }

    // ---- utilisations and shares of the shared resources ----
    let nt = 0;
    for (let v = 0; v < nV; v++) {
      const u = units[v]!, o = v * 12;
      if (u.kind === K_IDLE) { Uv[v] = 0; Uh[v] = 0; continue; }
      const gBusy = X[v]! * perUnit[o + P_GUEST]! / G;
      const hBusy = X[v]! * perUnit[o + P_HOST]! / G;
      if (u.kind === K_CPU) {
        demTh[nt++] = u.vcpus; // always runnable
      } else if (u.kind === K_STX || u.kind === K_SRX) {
        // a stream's vCPU keeps its core when the stream is CPU-bound
        demTh[nt++] = Math.min(1, gBusy / Math.max(sV[v]!, 1e-9));
      } else demTh[nt++] = Math.min(1, gBusy / Math.max(sV[v]!, 1e-9));
      if (!side) demTh[nt++] = Math.min(1, hBusy / Math.max(sH[v]!, 1e-9));
      Uv[v] = Math.min(1, gBusy / Math.max(sV[v]!, 1e-9));
      Uh[v] = side ? 0 : Math.min(1, hBusy / Math.max(sH[v]!, 1e-9));
    }
    waterFill(demTh, nt, M, allocTh);
    {
      let a = 0;
      for (let i = 0; i < nt; i++) a += allocTh[i]!;
      rhoCores = a / M;
    }
    nt = 0;
    for (let v = 0; v < nV; v++) {
      const u = units[v]!;
      if (u.kind === K_IDLE) continue;
      if (u.kind === K_CPU) {
        const a = allocTh[nt]!, dm = demTh[nt]!;
        nt++;
        // vCPU0 also serves the light I/O: it runs at its share of a core
        const share = dm > 0 ? a / dm : 1;
        sV[v] = Math.max(0.05, share);
        compute[v] = a * G - X[v]! * perUnit[v * 12 + P_GUEST]!;
      } else {
        const a = allocTh[nt]!, dm = demTh[nt]!;
        nt++;
        const target = dm > 1e-12 ? Math.min(1, Math.max(0.02, a / dm)) : 1;
        sV[v] = sV[v]! + 0.5 * (target - sV[v]!);
      }
      if (!side) {
        const a = allocTh[nt]!, dm = demTh[nt]!;
        nt++;
        const target = dm > 1e-12 ? Math.min(1, Math.max(0.02, a / dm)) : 1;
        sH[v] = sH[v]! + 0.5 * (target - sH[v]!);
      }
    }
    // workers: round-robin fair share among their devices
    const burst = new Float64Array(h.nics);
    if (side) {
      for (let j = 0; j < x; j++) {
        let n = 0;
        const idx: number[] = [];
        for (let v = j; v < nV; v += x) {
          const u = units[v]!;
          if (u.kind === K_IDLE) continue;
          const hU = perUnit[v * 12 + P_HOST]!;
          // a stream asks for as much as its vCPU and the NIC let it send
          const want = u.kind === K_STX || u.kind === K_SRX
            ? Math.min((sV[v]! * G) / perUnit[v * 12 + P_GUEST]!, nicShareOut[v]! * G / Math.max(u.wireOut, 1e-9), nicShareIn[v]! * G / Math.max(u.wireIn, 1e-9)) * hU
            : X[v]! * hU;
          demWk[n] = want / G; idx.push(v); n++;
        }
        // max-min fair share: each device may use up to the water level of its worker
        const L = Math.min(0.995, waterFill(demWk, n, 0.995, allocWk));
        let uj = 0;
        for (let i = 0; i < n; i++) uj += X[idx[i]!]! * perUnit[idx[i]! * 12 + P_HOST]! / G;
        const round = (nqOf[j]! * d.E) / G / Math.max(0.02, 1 - Math.min(0.98, uj));
        for (let i = 0; i < n; i++) {
          const v = idx[i]!;
          wkShare[v] = wkShare[v]! + 0.5 * (L - wkShare[v]!);
          // a sending stream's visit takes what queued since its last visit (a poll round), up to the
          // budget (visitMaxBytes, or its window when the worker holds it back), and puts it on its
          // NIC's link at once: the other VMs' messages on that link wait behind the burst
          const u = units[v]!;
          if (u.kind === K_STX) {
            const maxUnits = Math.min(d.visitMax, ws[v]!.windowBytes) / u.good;
            const held = L < 0.995 && demWk[i]! >= L * 0.999;
            const units_ = held ? maxUnits : Math.min(maxUnits, X[v]! * round);
            const rho = Math.min(1, X[v]! * u.wireOut / G);
            burst[v % h.nics] = burst[v % h.nics]! + (held ? 1 : rho) * units_ * u.wireOut;
          }
        }
      }
    }
    for (let n = 0; n < h.nics; n++) nicBurst[n] = nicBurst[n]! + 0.5 * (burst[n]! - nicBurst[n]!);
    // NICs: FIFO links shared by the VMs on them (VM v on NIC v mod nics), per direction
    for (let dir = 0; dir < 2; dir++) {
      const share = dir === 0 ? nicShareOut : nicShareIn;
      for (let nic = 0; nic < h.nics; nic++) {
        let n = 0;
        const idx: number[] = [];
        for (let v = nic; v < nV; v += h.nics) {
          const u = units[v]!;
          if (u.kind === K_IDLE) continue;
          const wc = dir === 0 ? u.wireOut : u.wireIn;
          const want = u.kind === K_STX || u.kind === K_SRX
            ? Math.min((sV[v]! * G) / perUnit[v * 12 + P_GUEST]!, side ? wkShare[v]! * G / perUnit[v * 12 + P_HOST]! : sH[v]! * G / perUnit[v * 12 + P_HOST]!) * wc
            : X[v]! * wc;
          demNic[n] = want / G; idx.push(v); n++;
        }
        const L = Math.min(1, waterFill(demNic, n, 1, allocNic));
        for (let i = 0; i < n; i++) {
          const v = idx[i]!;
          share[v] = share[v]! + 0.5 * (L - share[v]!);
        }
      }
    }
  }

  // ---- write the steady state ----
  const dly = new Float64Array(nV * NDLY * 2);
  for (let v = 0; v < nV; v++) dly[v * NDLY * 2 + 1] = 1; // default: no delay
  const book = new Float64Array(h.nics);
  for (let v = 0; v < nV; v++) if (units[v]!.kind === K_TRANS && units[v]!.k > 0) book[v % h.nics] = book[v % h.nics]! + X[v]! / G;
  /** Writes VM v's link-order delay points (ns) into `dly` and returns the mean (cycles). */
  const orderDelayPoints = (v: number): number => {
    const u = units[v]!;
    const closed = u.kind === K_TRANS && u.k > 0;
    const own = closed ? (X[v]! / G) / u.k : 0;
    const m = orderDelay(Math.max(0, book[v % h.nics]! - own), d.turn, closed, dly, v * NDLY * 2);
    for (let i = 0; i < NDLY; i++) dly[v * NDLY * 2 + 2 * i] = dly[v * NDLY * 2 + 2 * i]! / G * 1e9;
    return m;
  };
  // slice length of the VM cores while threads wait (for the time-slice tail of latency)
  const slice = Math.max(d.lat / Math.max(1, nThreads), d.minGran);
  for (let v = 0; v < nV; v++) {
    const u = units[v]!, o = v * NF, p = v * 12;
    out[o + F_WORKER] = side ? wkOf(v) : -1;
    if (u.kind === K_IDLE) continue;
    out[o + F_ACTIVE] = 1;
    const Xv = X[v]!;
    out[o + F_TPS] = u.kind === K_TRANS || u.kind === K_CPU ? Xv : 0;
    out[o + F_GOOD] = Xv * u.good;
    const exitC = Xv * (perUnit[p + P_EOI]! * d.eoi + perUnit[p + P_INJ]! * d.inject + perUnit[p + P_HLT]! * d.hlt + perUnit[p + P_KICK]! * d.kick);
    const cswV = Xv * perUnit[p + P_CSW_V]!;
    out[o + F_EXIT] = exitC;
    out[o + F_VMCTX] = cswV * d.csw;
    out[o + F_GUEST] = Xv * perUnit[p + P_GUEST]! - exitC - cswV * d.csw + (u.kind === K_CPU ? Math.max(0, compute[v]!) : 0);
    out[o + F_COMPUTE] = u.kind === K_CPU ? Math.max(0, compute[v]!) : 0;
    out[o + F_KICK] = Xv * perUnit[p + P_KICK]!;
    out[o + F_INJ] = Xv * perUnit[p + P_INJ]!;
    out[o + F_EOI] = Xv * perUnit[p + P_EOI]!;
    out[o + F_HLT] = Xv * perUnit[p + P_HLT]!;
    out[o + F_IRQ] = Xv * perUnit[p + P_IRQ]!;
    out[o + F_CSW] = Xv * (perUnit[p + P_CSW_V]! + perUnit[p + P_CSW_H]!);
    out[o + F_HB] = Xv * u.hb;
    out[o + F_HP] = Xv * u.hp;
    if (side) {
      const wcyc = Xv * perUnit[p + P_HOST]!;
      out[o + F_WKWORK] = wcyc;
      out[o + F_VISITS] = Xv * perUnit[p + P_VIS]!;
      const j = wkOf(v);
      wkWork[j] = wkWork[j]! + wcyc;
      wkVisits[j] = wkVisits[j]! + out[o + F_VISITS]!;
    } else {
      out[o + F_IOCTX] = Xv * perUnit[p + P_CSW_H]! * d.csw;
      out[o + F_VHOST] = Xv * perUnit[p + P_HOST]! - out[o + F_IOCTX]!;
    }
    // latency (transactions): mean from MVA / open-loop queueing; shifted-exponential spread
    if (u.kind === K_TRANS || u.kind === K_CPU) {
      const gU = perUnit[p + P_GUEST]!, hU = perUnit[p + P_HOST]!;
      const j = wkOf(v);
      const pollWait = side ? (nqOf[j]! * d.E) / 2 : 0;
      const wake = perUnit[p + P_WAKE]! * d.idleWake + (side ? 0 : (u.msgRx + u.msgTx) * (1 - Math.min(1, Uh[v]!)) * d.idleWake);
      const base = 2 * d.wire + u.wireIn + u.wireOut + 2 * pollWait + wake + gU + hU + nicQIn[v % h.nics]! + nicQOut[v % h.nics]! + (side ? nicBurst[v % h.nics]! : 0);
      const dm = orderDelayPoints(v);
      // distribution: exponentially modified Gaussian EMG(D, σ, S): a normal part (sums of service
      // times with their jitter) plus an exponential part (queueing waits of an open loop)
      const jit = (u.app * u.app) / 12;
      const dc = gU / sV[v]!;
      if (u.kind === K_TRANS && u.k > 0) {
        const mean = Math.max(lat[v]!, base + dm);
        const qc = Q[v * 3]!, qh = Q[v * 3 + 1]!;
        const varC = jit + (0.15 * dc) ** 2, varH = (0.15 * hU) ** 2 + (side ? (nqOf[j]! * d.E) ** 2 / 12 : 0);
        const sig = Math.sqrt((qc + 1) * varC + (qh + 2) * varH);
        out[o + F_LAT_MEAN] = mean / G * 1e9;
        out[o + F_LAT_D] = (mean - dm) / G * 1e9;
        out[o + F_LAT_S] = 0;
        out[o + F_LAT_SIG] = sig / G * 1e9;
      } else {
        const uc = Math.min(0.95, Uv[v]!), uh2 = side ? Math.min(0.95, (wkWork[j] ?? 0) / G) : Math.min(0.95, Uh[v]!);
        // the path has the vCPU's service time less the switches it pays for other VMs' requests
        // (wake-up preemptions, `offPath`); its queueing wait keeps the full demand (U_v)
        const off = offPath[v]! / sV[v]!;
        const mean = base - gU - hU + dc / (1 - uc) + hU / (1 - uh2) - off;
        out[o + F_LAT_MEAN] = (mean + dm) / G * 1e9;
        const noWait = base - gU - hU + dc + hU - off;
        out[o + F_LAT_D] = noWait / G * 1e9;
        out[o + F_LAT_S] = Math.max(0, mean - noWait) / G * 1e9;
        out[o + F_LAT_SIG] = Math.sqrt(jit + (0.1 * dc) ** 2 + (side ? (nqOf[j]! * d.E) ** 2 / 6 : 0)) / G * 1e9;
      }
      // vCPUs that are always runnable share fewer cores than threads (CFS round robin at slice ticks):
      // a request whose vCPU is off its core (probability (T − M)/T) waits the rest of that off period
      // — the guest takes the interrupt at its next dispatch — and no more. Off periods average r·s
      // (r = (T − M)/M, by conservation) and, the cores ticking in step, last a whole number of slices:
      // ⌊r⌋·s or ⌈r⌉·s, the latter with probability f = r − ⌊r⌋. An arrival at a random time sees an off
      // period length-biased and waits its uniform remainder: ((1 − f)·⌊r⌋/r)·U[0, ⌊r⌋·s] +
      // (f·⌈r⌉/r)·U[0, ⌈r⌉·s] above the no-wait latency. The mean stays the open loop's.
      if (nAlwaysRunnable > M && u.kind === K_CPU) {
        const r = (nThreads - M) / M, lo = Math.floor(r), fr = r - lo;
        const q = (nThreads - M) / nThreads, sNs = slice / G * 1e9;
        out[o + F_TAIL_Q] = q * (1 - fr) * lo / r;
        out[o + F_TAIL_T0] = out[o + F_LAT_MEAN]!;
        out[o + F_TAIL_W] = lo * sNs;
        out[o + F_TAIL_Q2] = q * fr * (lo + 1) / r;
        out[o + F_TAIL_T02] = out[o + F_LAT_MEAN]!;
        out[o + F_TAIL_W2] = (lo + 1) * sNs;
      } else if (side && u.kind === K_TRANS && u.k > 0 && rhoCores > 0.98 && Uv[v]! > 0.95 && nThreads > M) {
        // side-core: a closed loop whose vCPU is (nearly) always runnable on oversubscribed VM cores.
        // CFS round robin at slice ticks: every run lasts one slice s (the tick preempts it for a queued
        // thread with less vruntime), so by conservation (runnable T, running M) the mean off period is
        // r·s, r = (T − M)/M, and there are M/(T·s) off periods per second per vCPU. The M cores tick
        // in step (a swap at a tick restarts the slice on the same tick), so an off period lasts a whole
        // number of slices: ⌊r⌋·s or ⌈r⌉·s, the latter with probability r − ⌊r⌋ (mean r·s). The vCPU
        // is the bottleneck of its loop, so its k transactions in flight queue on it and wait the whole
        // off period, then their turn in the drain when it runs again (k services back to back at full
        // speed): uniform on [off, off + k·guest]. Off periods of zero slices (a re-pick at the tick)
        // delay nothing. The mean latency is not changed (it is the MVA's, which has the off time).
        const r = (nThreads - M) / M, lo = Math.floor(r), fr = r - lo;
        const perSec = M / (nThreads * (slice / G));
        const qAll = Math.min(1, (u.k * perSec) / Math.max(Xv, 1e-9));
        const sNs = slice / G * 1e9;
        out[o + F_TAIL_W] = u.k * gU / G * 1e9;
        out[o + F_TAIL_W2] = out[o + F_TAIL_W]!;
        if (lo === 0) {
          out[o + F_TAIL_Q] = qAll * fr;
          out[o + F_TAIL_T0] = sNs;
        } else {
          out[o + F_TAIL_Q] = qAll * (1 - fr);
          out[o + F_TAIL_T0] = lo * sNs;
          out[o + F_TAIL_Q2] = qAll * fr;
          out[o + F_TAIL_T02] = (lo + 1) * sNs;
        }
      }
    }
  }
  return { vm: out, wkWork, wkVisits, dly };
}

export { K_CPU, K_IDLE, K_SRX, K_STX, K_TRANS };
export const DEFAULTS = DEFAULT_COSTS;
