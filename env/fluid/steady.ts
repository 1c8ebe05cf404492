/**
 * The steady-state solve of `model.ts`: one scenario phase at x I/O cores, a damped fixed point (60
 * iterations) of rates given shares and shares given rates (the equations of `docs/fluid.md`).
 *
 * The solve is a class with one method per stage, not one function, for the JIT's sake: as a single
 * 500-line function, TurboFan spent 0.2–0.7 s compiling it, again after every deoptimisation and for
 * on-stack replacement, and a fast-tier sweep of short episodes spent more CPU compiling it on V8's
 * background threads than running it (the second core busy, so 2 workers ran slower than 1). Each
 * stage is compiled on its own, in milliseconds. The arithmetic is unchanged, term for term.
 */
import type { Scenario, Workload } from '../scenarios/scenario.js';
import {
  F_ACTIVE, F_COMPUTE, F_CSW, F_KS, F_KSN, F_EOI, F_EXIT, F_GOOD, F_GUEST, F_HB, F_HLT, F_HP, F_INJ, F_IOCTX, F_IRQ, F_KICK,
  F_LAT_D, F_LAT_MEAN, F_LAT_S, F_LAT_SIG, F_TAIL_Q, F_TAIL_Q2, F_TAIL_T0, F_TAIL_T02, F_TAIL_W, F_TAIL_W2, F_TPS,
  F_VHOST, F_VISITS, F_VMCTX, F_WKWORK, F_WORKER, K_CPU, K_IDLE, K_SRX, K_STX, K_TRANS, NDLY, NF,
  orderDelay, unitOf, waterFill, type Derived, type HostShape, type Steady, type Unit,
} from './model.js';
import { idleExitNs } from '../sim/cstates.js';

// per-unit notification counts and cycles (`perUnit`, 12 per VM)
const P_IRQ = 0, P_INJ = 1, P_EOI = 2, P_HLT = 3, P_KICK = 4, P_CSW_V = 5, P_CSW_H = 6, P_RUNS = 7, P_VIS = 8, P_GUEST = 9, P_HOST = 10, P_WAKE = 11;
const NP = 12;

/**
 * The steady state of phase `phase` of `sc` at `x` I/O cores. Rates per second; see `F_*`.
 */
export function solveSteady(sc: Scenario, phase: number, x: number, d: Derived, h: HostShape): Steady {
  return new SteadySolver(sc, phase, x, d, h).solve();
}

class SteadySolver {
  private readonly ws: Workload[];
  private readonly nV: number;
  // Numeric fields that may hold an integer in one solve and a fraction in another start as NaN, so
  // that V8 makes them doubles from the first solve (see `Unit` in model.ts).
  private readonly G: number = NaN;
  /** VM cores. */
  private readonly M: number;
  private readonly side: boolean;
  private readonly injected: boolean;
  private readonly units: Unit[];
  private readonly out: Float64Array;
  private readonly wkWork: Float64Array;
  private readonly wkVisits: Float64Array;

  // iteration state
  private readonly X: Float64Array; // units/s
  private readonly Uv: Float64Array; // vCPU0 busy fraction (of a core)
  private readonly Uh: Float64Array; // baseline vhost thread busy fraction
  private readonly sV: Float64Array; // CPU speed factor of VM v's vCPU0 (fair share / demand)
  private readonly sH: Float64Array; // ... of its vhost thread
  private readonly wkShare: Float64Array; // fraction of its worker core VM v may use (max-min level)
  private readonly nicShareOut: Float64Array;
  private readonly nicShareIn: Float64Array;
  private readonly bRx: Float64Array; // messages per visit / handler run
  private readonly bTx: Float64Array;
  private readonly compute: Float64Array; // compute cores (cpu workloads)
  private readonly lat: Float64Array;
  private readonly perUnit: Float64Array;
  private readonly offPath: Float64Array; // per unit: guest cycles not on the request's path (see notifications)
  /** Queues per worker (two per device it serves). */
  private readonly nqOf: Float64Array;
  private readonly demTh: Float64Array;
  private readonly allocTh: Float64Array;
  private readonly demWk: Float64Array;
  private readonly allocWk: Float64Array;
  private readonly demNic: Float64Array;
  private readonly allocNic: Float64Array;
  private readonly Q: Float64Array; // AMVA queue lengths: vCPU, host (worker/vhost), throughput
  // NIC FIFO backlog (cycles of waiting) per NIC and direction: a window-limited stream whose
  // bottleneck is the link keeps its whole window queued there, ahead of every other VM's messages
  private readonly nicQIn: Float64Array;
  private readonly nicQOut: Float64Array;
  // per NIC: the mean wait behind a sending stream's burst on the host → remote link (cycles)
  private readonly nicBurst: Float64Array;
  // mean link-order wait of each VM's requests (cycles)
  private readonly dlyMean: Float64Array;
  private readonly dlyTmp: Float64Array;
  // per iteration: new rates, background load per worker, closed-loop demands
  private readonly Xn: Float64Array;
  private readonly bg: Float64Array;
  private readonly Zc: Float64Array;
  private readonly Dcv: Float64Array;
  private readonly Dhv: Float64Array;

  private readonly nThreads: number;
  private readonly nAlwaysRunnable: number;
  /** vCPUs of all VMs, idle ones included (with idle=poll each holds a VM core). */
  private readonly nVcpuAll: number;
  private readonly pCsw: number = NaN;
  /** Busy fraction of the VM cores (previous iteration). */
  private rhoCores = NaN;
  /** Exit latency (cycles) of the idle state of the VM cores that take wake-ups (`coreIdleExit`). */
  private wakeExit = NaN;

  constructor(sc: Scenario, phase: number, private readonly x: number, private readonly d: Derived, private readonly h: HostShape) {
    const ws = sc.phases[phase]!.workloads;
    this.ws = ws;
    const nV = ws.length;
    this.nV = nV;
    this.G = d.G;
    const M = h.cores - x;
    this.M = M;
    const side = x > 0;
    this.side = side;
    this.injected = !side || !h.exitless;
    // pushed one by one: `map` sometimes returns a holey array, and one holey `units` threw away the
    // optimised code of every method here (each worker of a sweep compiled them all again)
    const units: Unit[] = [];
    for (let v = 0; v < nV; v++) units.push(unitOf(ws[v]!, d, sc.vms[v]?.vcpus ?? 1));
    this.units = units;
    let nVcpuAll = 0;
    for (let v = 0; v < nV; v++) nVcpuAll += sc.vms[v]?.vcpus ?? 1;
    this.nVcpuAll = nVcpuAll;
    this.out = new Float64Array(nV * NF);
    this.wkWork = new Float64Array(Math.max(1, h.maxIo));
    this.wkVisits = new Float64Array(Math.max(1, h.maxIo));
    this.X = new Float64Array(nV);
    this.Uv = new Float64Array(nV);
    this.Uh = new Float64Array(nV);
    this.sV = new Float64Array(nV).fill(1);
    this.sH = new Float64Array(nV).fill(1);
    this.wkShare = new Float64Array(nV).fill(1);
    this.nicShareOut = new Float64Array(nV).fill(1);
    this.nicShareIn = new Float64Array(nV).fill(1);
    this.bRx = new Float64Array(nV).fill(1);
    this.bTx = new Float64Array(nV).fill(1);
    this.compute = new Float64Array(nV);
    this.lat = new Float64Array(nV);
    this.perUnit = new Float64Array(nV * NP);
    this.offPath = new Float64Array(nV);

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
    this.nThreads = nThreads;
    this.nAlwaysRunnable = nAlwaysRunnable;
    // context-switch probability per dispatch of a woken thread: its last core ran another thread since.
    // Threads outnumber cores → cores are shared (2(T − M)/T). In the baseline, each VM's vCPU and vhost
    // thread wake each other on whichever core is idle (the lowest-numbered when their last one is
    // taken), so affinity is lost as soon as several VMs do I/O: an empirical 0.4 per extra I/O VM,
    // at most 0.8 (the detailed tier's TCP_RR and memcached runs with 1–7 VMs).
    let nIo = 0;
    for (let v = 0; v < nV; v++) if (units[v]!.kind !== K_IDLE && units[v]!.kind !== K_CPU) nIo++;
    const pShare = nThreads > M ? Math.min(1, (2 * (nThreads - M)) / nThreads) : 0;
    this.pCsw = side ? pShare : Math.max(pShare, Math.min(0.8, 0.4 * Math.max(0, nIo - 1)));

    this.nqOf = new Float64Array(Math.max(1, x));
    if (side) for (let v = 0; v < nV; v++) this.nqOf[this.wkOf(v)] = this.nqOf[this.wkOf(v)]! + 2;

    this.demTh = new Float64Array(2 * nV + 1);
    this.allocTh = new Float64Array(2 * nV + 1);
    this.demWk = new Float64Array(nV);
    this.allocWk = new Float64Array(nV);
    this.demNic = new Float64Array(nV);
    this.allocNic = new Float64Array(nV);
    this.Q = new Float64Array(nV * 3);
    this.nicQIn = new Float64Array(h.nics);
    this.nicQOut = new Float64Array(h.nics);
    this.nicBurst = new Float64Array(h.nics);
    this.dlyMean = new Float64Array(nV);
    this.dlyTmp = new Float64Array(2 * NDLY);
    this.Xn = new Float64Array(nV);
    this.bg = new Float64Array(Math.max(1, x));
    this.Zc = new Float64Array(nV);
    this.Dcv = new Float64Array(nV);
    this.Dhv = new Float64Array(nV);
    this.rhoCores = 0;
  }

  /** The worker serving VM v's device (−1 in the baseline). */
  private wkOf(v: number): number {
    return this.side ? v % this.x : -1;
  }

  solve(): Steady {
    for (let it = 0; it < 60; it++) this.iterate(it);
    return this.write();
  }

  private iterate(it: number): void {
    const damp = it < 5 ? 1 : 0.5;
    this.notifications();
    this.coreIdleExit();
    this.Xn.fill(0);
    this.openRates();
    this.closedLoops();
    const { X, Xn, nV } = this;
    for (let v = 0; v < nV; v++) X[v] = it === 0 ? Xn[v]! : X[v]! + damp * (Xn[v]! - X[v]!);
    this.linkWaits();
    this.streamBacklogs();
    this.coreShares();
    this.workerShares();
    this.nicShares();
  }

  /** Per unit of work: interrupts, exits, kicks, switches, worker visits, and the cycles they cost. */
  private notifications(): void {
    const { units, perUnit, nV, x, d, G, X, Uv, Uh, bRx, bTx, nqOf, side, injected, pCsw, M, offPath, h } = this;
    // worker utilisation (for poll round and batching)
    const wkU = new Float64Array(Math.max(1, x));
    if (side) for (let v = 0; v < nV; v++) wkU[this.wkOf(v)] = wkU[this.wkOf(v)]! + X[v]! * perUnit[v * NP + P_HOST]! / G;
    for (let v = 0; v < nV; v++) {
      const u = units[v]!, o = v * NP;
      if (u.kind === K_IDLE) continue;
      const uv = Math.min(1, Uv[v]!), uh = Math.min(1, Uh[v]!);
      const napiFrac = u.guest > 0 ? Math.min(1, u.napi / u.guest) : 0;
      let irq: number, inj: number, eoi: number, hlt: number, kick = 0, runs = 0, vis = 0, cswV: number, cswH = 0, host: number;
      if (side) {
        const j = this.wkOf(v);
        // batching: messages that accumulate during one polling round of the worker
        const round = (nqOf[j]! * d.E) / G / Math.max(0.02, 1 - Math.min(0.98, wkU[j]!));
        bRx[v] = Math.max(1, X[v]! * u.msgRx * round);
        bTx[v] = Math.max(1, X[v]! * u.msgTx * round);
        vis = u.msgRx / bRx[v]! + u.msgTx / bTx[v]!;
        host = u.hostRx + u.hostTx + d.poll * vis;
        irq = (u.msgRx / bRx[v]!) * (1 - uv * napiFrac);
        eoi = injected ? irq : 0;
        // idle=poll: the vCPU is always in guest mode, so every injected interrupt forces an exit
        inj = injected ? irq * (h.idlePoll ? 1 : uv) : 0;
        hlt = u.kind === K_CPU || h.idlePoll ? 0 : Math.min(irq, u.msgRx * (1 - uv));
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
        inj = u.kind === K_CPU || h.idlePoll ? irq : irq * uv;
        hlt = u.kind === K_CPU || h.idlePoll ? 0 : Math.min(irq, u.msgRx * (1 - uv));
        const pPre = Math.pow(Math.min(1, this.rhoCores), M / 2);
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
  }

  /** Rates given the current shares: streams and open loops (closed loops are marked −1, solved next). */
  private openRates(): void {
    const { units, perUnit, nV, G, Xn, lat, sV, sH, wkShare, nicShareOut, nicShareIn, side } = this;
    for (let v = 0; v < nV; v++) {
      const u = units[v]!, o = v * NP;
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
  }

  /**
   * Closed loops (k outstanding): multi-class Schweitzer approximate MVA over each VM's vCPU, the host
   * path (the worker shared by the VMs it serves, or the VM's own baseline vhost thread) and a delay
   * (wire, remote turnaround, wake-ups, poll waits). Streams and open-loop VMs on a worker are
   * background load that inflates its service times. A class alone on its stations is solved by exact
   * MVA (populations 1..k); classes that share a worker by multi-class Schweitzer approximate MVA.
   */
  private closedLoops(): void {
    this.closedDemands();
    const nClosed = new Float64Array(Math.max(1, this.x));
    if (this.side) for (let v = 0; v < this.nV; v++) if (this.Xn[v]! < 0) nClosed[this.wkOf(v)] = nClosed[this.wkOf(v)]! + 1;
    this.exactMva(nClosed);
    this.schweitzerMva(nClosed);
    if (this.side) this.capWorkers();
    const { units, nV, G, Xn, Q, nicShareOut, nicShareIn } = this;
    for (let v = 0; v < nV; v++) {
      if (Xn[v]! >= 0) continue;
      const u = units[v]!;
      const capNic = Math.min(nicShareOut[v]! * G / Math.max(u.wireOut, 1e-9), nicShareIn[v]! * G / Math.max(u.wireIn, 1e-9));
      Xn[v] = Math.min(Q[v * 3 + 2]! * G, capNic);
    }
  }

  /**
   * Exit latency (cycles) of the idle state the VM cores enter (`env/sim/cstates.ts`). A woken thread
   * goes back to its last core when that one is idle, so the cores that see wake-ups are about one per
   * thread that sleeps and wakes (vCPUs that halt, baseline vhost threads), at most the VM cores not held
   * by idle=poll spinners. Their average idle period is their idle time over the wake-ups they take.
   */
  private coreIdleExit(): void {
    const { units, perUnit, nV, d, X, Uv, Uh, M, side, h } = this;
    let waking = 0, busy = 0, wakes = 0;
    for (let v = 0; v < nV; v++) {
      const u = units[v]!;
      if (u.kind === K_IDLE) continue;
      const vW = perUnit[v * NP + P_WAKE]!;
      if (vW > 0) { waking++; busy += Math.min(1, Uv[v]!); wakes += X[v]! * vW; }
      if (!side && (u.kind !== K_CPU || u.rate > 0)) {
        waking++; busy += Math.min(1, Uh[v]!);
        wakes += X[v]! * (u.msgRx + u.msgTx) * (1 - Math.min(1, Uh[v]!));
      }
    }
    const free = h.idlePoll ? Math.max(0, M - this.nVcpuAll) : M;
    const cores = Math.min(free, waking);
    // before the first rates are known the cores have no idle history: the shallowest state, as the
    // detailed tier's cores start (a fast loop then keeps its cores shallow, a slow one deepens them)
    if (!(wakes > 0) || !(cores > 0)) { this.wakeExit = 0; return; }
    const idleCores = Math.max(0, cores - busy);
    const idleNs = (idleCores * 1e9) / wakes;
    this.wakeExit = Math.round(idleExitNs(d.cStates, idleNs, 1 - idleCores / cores) * d.ghz);
  }

  /** Cycles per unit of VM v spent waking its threads on idle cores: IPI and schedule-in plus the idle-state exit. */
  private wakeLatency(v: number): number {
    const { units, perUnit, d, Uh, side } = this;
    const u = units[v]!;
    let n = perUnit[v * NP + P_WAKE]!;
    if (!side) n += (u.msgRx + u.msgTx) * (1 - Math.min(1, Uh[v]!));
    return n * (d.idleWake + this.wakeExit);
  }

  /** Service demands (vCPU, host path) and delay of each closed loop's transaction. */
  private closedDemands(): void {
    const { units, perUnit, nV, G, d, h, Xn, X, bg, Zc, Dcv, Dhv, sV, sH, Uh, nqOf, side, nicQIn, nicQOut, nicBurst, dlyMean } = this;
    bg.fill(0);
    if (side) for (let v = 0; v < nV; v++) if (Xn[v]! >= 0 && units[v]!.kind !== K_IDLE) bg[this.wkOf(v)] = bg[this.wkOf(v)]! + X[v]! * perUnit[v * NP + P_HOST]! / G;
    Zc.fill(0); Dcv.fill(0); Dhv.fill(0);
    for (let v = 0; v < nV; v++) {
      if (Xn[v]! >= 0) continue;
      const u = units[v]!, o = v * NP;
      const j = this.wkOf(v);
      const pollWait = side ? (nqOf[j]! * d.E) / 2 : 0;
      const wake = this.wakeLatency(v);
      Zc[v] = d.turn + 2 * d.wire + u.wireIn + u.wireOut + 2 * pollWait + wake + nicQIn[v % h.nics]! + nicQOut[v % h.nics]! + (side ? nicBurst[v % h.nics]! : 0) + dlyMean[v]!;
      Dcv[v] = perUnit[o + P_GUEST]! / sV[v]!;
      Dhv[v] = side ? perUnit[o + P_HOST]! / Math.max(0.05, 1 - Math.min(0.95, bg[j]!)) : perUnit[o + P_HOST]! / sH[v]!;
    }
  }

  private sharesWorker(v: number, nClosed: Float64Array): boolean {
    return this.side && nClosed[this.wkOf(v)]! > 1;
  }

  /** Closed loops alone on their stations: exact MVA over populations 1..k. */
  private exactMva(nClosed: Float64Array): void {
    const { units, nV, d, Xn, Q, Zc, Dcv, Dhv, lat, side } = this;
    for (let v = 0; v < nV; v++) {
      if (Xn[v]! >= 0 || this.sharesWorker(v, nClosed)) continue;
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
    }
  }

  /** Closed loops that share a worker: Schweitzer's fixed point over their mean queues there. */
  private schweitzerMva(nClosed: Float64Array): void {
    const { units, nV, d, x, Xn, Q, Zc, Dcv, Dhv, lat } = this;
    const Qw = new Float64Array(Math.max(1, x)), wkClosedU = new Float64Array(Math.max(1, x));
    for (let m = 0; m < 400; m++) {
      Qw.fill(0); wkClosedU.fill(0);
      for (let v = 0; v < nV; v++) if (Xn[v]! < 0 && this.sharesWorker(v, nClosed)) { Qw[this.wkOf(v)] = Qw[this.wkOf(v)]! + Q[v * 3 + 1]!; wkClosedU[this.wkOf(v)] = wkClosedU[this.wkOf(v)]! + Q[v * 3 + 2]! * Dhv[v]!; }
      let delta = 0;
      for (let v = 0; v < nV; v++) {
        if (Xn[v]! >= 0 || !this.sharesWorker(v, nClosed)) continue;
        // exact recursion over the class's own population; the other classes on the worker add
        // their mean queue there (Schweitzer's cross-class term)
        const kk = units[v]!.k, Dc = Dcv[v]!, Dh = Dhv[v]!, Z = Zc[v]!;
        const qOthers = Math.max(0, Qw[this.wkOf(v)]! - Q[v * 3 + 1]!);
        // the visit in progress is near-deterministic: an arrival waits half of it on average
        const uOthers = Math.max(0, Math.min(0.99, wkClosedU[this.wkOf(v)]! - Q[v * 3 + 2]! * Dh));
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
      }
      if (delta < 1e-7) break;
    }
  }

  /** A worker cannot do more than its core: scale its closed-loop classes down to what is left. */
  private capWorkers(): void {
    const { units, perUnit, nV, d, x, Xn, Q, bg, lat } = this;
    const uc = new Float64Array(x);
    for (let v = 0; v < nV; v++) if (Xn[v]! < 0) uc[this.wkOf(v)] = uc[this.wkOf(v)]! + Q[v * 3 + 2]! * perUnit[v * NP + P_HOST]!;
    for (let v = 0; v < nV; v++) {
      if (Xn[v]! >= 0) continue;
      const j = this.wkOf(v), room = Math.max(0.02, 0.995 - bg[j]!);
      if (uc[j]! > room) {
        Q[v * 3 + 2] = Q[v * 3 + 2]! * room / uc[j]!;
        lat[v] = units[v]!.k / Q[v * 3 + 2]! - d.turn; // Little's law at the capped rate
      }
    }
  }

  /** Bookings of closed-loop requests per NIC (per cycle). */
  private bookings(): Float64Array {
    const { units, nV, G, h, X } = this;
    const book = new Float64Array(h.nics);
    for (let v = 0; v < nV; v++) if (units[v]!.kind === K_TRANS && units[v]!.k > 0) book[v % h.nics] = book[v % h.nics]! + X[v]! / G;
    return book;
  }

  /** Link-order waits (see orderDelay) of each transactional VM's requests. */
  private linkWaits(): void {
    const { units, nV, G, d, h, X, dlyMean, dlyTmp } = this;
    const book = this.bookings();
    for (let v = 0; v < nV; v++) {
      const u = units[v]!;
      if (u.kind !== K_TRANS && !(u.kind === K_CPU && u.rate > 0)) continue;
      const closed = u.kind === K_TRANS && u.k > 0;
      const own = closed ? (X[v]! / G) / u.k : 0;
      dlyMean[v] = orderDelay(Math.max(0, book[v % h.nics]! - own), d.turn, closed, dlyTmp, 0);
    }
  }

  /** A stream held back by its link keeps its whole window queued in the NIC's FIFO. */
  private streamBacklogs(): void {
    const { units, ws, perUnit, nV, G, d, h, sV, sH, wkShare, nicShareIn, nicShareOut, nicQIn, nicQOut, side } = this;
    nicQIn.fill(0); nicQOut.fill(0);
    for (let v = 0; v < nV; v++) {
      const u = units[v]!, w = ws[v]!;
      if (u.kind !== K_STX && u.kind !== K_SRX) continue;
      const o = v * NP;
      const capCpu = (sV[v]! * G) / perUnit[o + P_GUEST]!;
      const capHost = (side ? wkShare[v]! : sH[v]!) * G / Math.max(perUnit[o + P_HOST]!, 1);
      const wc = u.kind === K_SRX ? u.wireIn : u.wireOut;
      const capNic = (u.kind === K_SRX ? nicShareIn[v]! : nicShareOut[v]!) * G / Math.max(wc, 1e-9);
      if (capNic <= 1.001 * Math.min(capCpu, capHost)) {
        const q = w.windowBytes * d.bitCycles;
        if (u.kind === K_SRX) nicQIn[v % h.nics] = nicQIn[v % h.nics]! + q; else nicQOut[v % h.nics] = nicQOut[v % h.nics]! + q;
      }
    }
  }

  /** Utilisations, and the fair shares of the VM cores among the threads that want them. */
  private coreShares(): void {
    const { units, perUnit, nV, G, M, X, Uv, Uh, sV, sH, demTh, allocTh, compute, side } = this;
    let nt = 0;
    for (let v = 0; v < nV; v++) {
      const u = units[v]!, o = v * NP;
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
      this.rhoCores = a / M;
      // idle=poll: every vCPU holds a VM core even without work, so a woken vhost thread finds a busy one
      if (this.h.idlePoll) this.rhoCores = Math.min(1, Math.max(this.rhoCores, this.nVcpuAll / M));
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
        compute[v] = a * G - X[v]! * perUnit[v * NP + P_GUEST]!;
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
  }

  /** Workers: round-robin fair share among their devices, and the bursts sending streams put on the link. */
  private workerShares(): void {
    const { units, ws, perUnit, nV, G, d, h, x, X, sV, wkShare, nicShareOut, nicShareIn, demWk, allocWk, nqOf, nicBurst, side } = this;
    const burst = new Float64Array(h.nics);
    if (side) {
      for (let j = 0; j < x; j++) {
        let n = 0;
        const idx: number[] = [];
        for (let v = j; v < nV; v += x) {
          const u = units[v]!;
          if (u.kind === K_IDLE) continue;
          const hU = perUnit[v * NP + P_HOST]!;
          // a stream asks for as much as its vCPU and the NIC let it send
          const want = u.kind === K_STX || u.kind === K_SRX
            ? Math.min((sV[v]! * G) / perUnit[v * NP + P_GUEST]!, nicShareOut[v]! * G / Math.max(u.wireOut, 1e-9), nicShareIn[v]! * G / Math.max(u.wireIn, 1e-9)) * hU
            : X[v]! * hU;
          demWk[n] = want / G; idx.push(v); n++;
        }
        // max-min fair share: each device may use up to the water level of its worker
        const L = Math.min(0.995, waterFill(demWk, n, 0.995, allocWk));
        let uj = 0;
        for (let i = 0; i < n; i++) uj += X[idx[i]!]! * perUnit[idx[i]! * NP + P_HOST]! / G;
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
  }

  /** NICs: FIFO links shared by the VMs on them (VM v on NIC v mod nics), per direction. */
  private nicShares(): void {
    const { units, perUnit, nV, G, h, X, sV, sH, wkShare, nicShareOut, nicShareIn, demNic, allocNic, side } = this;
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
            ? Math.min((sV[v]! * G) / perUnit[v * NP + P_GUEST]!, side ? wkShare[v]! * G / perUnit[v * NP + P_HOST]! : sH[v]! * G / perUnit[v * NP + P_HOST]!) * wc
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

  // ---- the steady state ---------------------------------------------------------------------------
  private write(): Steady {
    const { nV } = this;
    const dly = new Float64Array(nV * NDLY * 2);
    for (let v = 0; v < nV; v++) dly[v * NDLY * 2 + 1] = 1; // default: no delay
    const book = this.bookings();
    // slice length of the VM cores while threads wait (for the time-slice tail of latency)
    const slice = Math.max(this.d.lat / Math.max(1, this.nThreads), this.d.minGran);
    for (let v = 0; v < nV; v++) this.writeVm(v, book, dly, slice);
    for (let v = 0; v < nV; v++) this.writeKickToService(v);
    return { vm: this.out, wkWork: this.wkWork, wkVisits: this.wkVisits, dly, wakeExit: this.wakeExit };
  }

  /** Writes VM v's link-order delay points (ns) into `dly` and returns the mean (cycles). */
  private orderDelayPoints(v: number, book: Float64Array, dly: Float64Array): number {
    const { units, G, d, h, X } = this;
    const u = units[v]!;
    const closed = u.kind === K_TRANS && u.k > 0;
    const own = closed ? (X[v]! / G) / u.k : 0;
    const m = orderDelay(Math.max(0, book[v % h.nics]! - own), d.turn, closed, dly, v * NDLY * 2);
    for (let i = 0; i < NDLY; i++) dly[v * NDLY * 2 + 2 * i] = dly[v * NDLY * 2 + 2 * i]! / G * 1e9;
    return m;
  }

  /** VM v's rates and counters. */
  private writeVm(v: number, book: Float64Array, dly: Float64Array, slice: number): void {
    const { units, perUnit, out, d, X, compute, wkWork, wkVisits, side } = this;
    const u = units[v]!, o = v * NF, p = v * NP;
    out[o + F_WORKER] = side ? this.wkOf(v) : -1;
    if (u.kind === K_IDLE) return;
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
      const j = this.wkOf(v);
      wkWork[j] = wkWork[j]! + wcyc;
      wkVisits[j] = wkVisits[j]! + out[o + F_VISITS]!;
    } else {
      out[o + F_IOCTX] = Xv * perUnit[p + P_CSW_H]! * d.csw;
      out[o + F_VHOST] = Xv * perUnit[p + P_HOST]! - out[o + F_IOCTX]!;
    }
    if (u.kind === K_TRANS || u.kind === K_CPU) this.writeLatency(v, book, dly, slice);
  }

  /**
   * Kick-to-service estimate of VM v's TX posts (cycles), from the terms the latency already uses: with
   * side-cores, the wait for the queue's next poll (half a polling round of the worker's queues) plus,
   * with the worker busy a fraction ρ of its time, half the visit in progress; in the baseline, the
   * vhost thread's wake-up on an idle core (IPI, idle-state exit) when it sleeps (1 − U_h) plus half a
   * handler run when it runs (U_h). A mean only: the model keeps no distribution of this wait.
   */
  private writeKickToService(v: number): void {
    const { units, perUnit, out, d, G, X, Uh, nqOf, wkWork, side } = this;
    const u = units[v]!, o = v * NF, p = v * NP;
    const posts = u.kind === K_IDLE ? 0 : X[v]! * u.msgTx;
    out[o + F_KSN] = posts > 0 ? posts : 0;
    if (!(posts > 0)) { out[o + F_KS] = 0; return; }
    if (side) {
      // half the worker's polling round, which its work stretches by 1 / (1 − ρ) (as the batching uses)
      const rho = Math.min(0.98, wkWork[this.wkOf(v)]! / G);
      out[o + F_KS] = (nqOf[this.wkOf(v)]! * d.E) / 2 / Math.max(0.02, 1 - rho);
    } else {
      // asleep: woken on an idle core (IPI, idle-state exit) or by preempting a running thread (the
      // switch-in, as the host path pays it); running: half a handler run
      const uh = Math.min(1, Uh[v]!), runs = perUnit[p + P_RUNS]!;
      const run = runs > 0 ? perUnit[p + P_HOST]! / runs : 0;
      const pPre = Math.pow(Math.min(1, this.rhoCores), this.M / 2);
      out[o + F_KS] = (1 - uh) * ((1 - pPre) * (d.idleWake + this.wakeExit) + this.pCsw * d.csw) + (uh * run) / 2;
    }
  }

  /**
   * The threads that take part in the VM cores' round robin: the always-runnable vCPUs, plus every
   * other thread for the fraction of the time it is runnable (its busy fraction). A baseline vhost
   * thread that serves light I/O sleeps almost always and barely delays anyone's turn.
   */
  private runnableThreads(): number {
    const { units, nV, Uv, Uh, side } = this;
    let t = this.nAlwaysRunnable;
    for (let v = 0; v < nV; v++) {
      const u = units[v]!;
      if (u.kind === K_IDLE) continue;
      if (u.kind !== K_CPU) t += Math.min(1, Uv[v]!);
      if (!side && (u.kind !== K_CPU || u.rate > 0)) t += Math.min(1, Uh[v]!);
    }
    return t;
  }

  /** Latency (transactions): mean from MVA / open-loop queueing; EMG spread; time-slice tails. */
  private writeLatency(v: number, book: Float64Array, dly: Float64Array, slice: number): void {
    const { units, perUnit, out, G, d, h, M, X, sV, Uv, Uh, Q, lat, nqOf, nicQIn, nicQOut, nicBurst, offPath, wkWork, side, nThreads } = this;
    const u = units[v]!, o = v * NF, p = v * NP;
    const Xv = X[v]!;
    const gU = perUnit[p + P_GUEST]!, hU = perUnit[p + P_HOST]!;
    const j = this.wkOf(v);
    const pollWait = side ? (nqOf[j]! * d.E) / 2 : 0;
    const wake = this.wakeLatency(v);
    const base = 2 * d.wire + u.wireIn + u.wireOut + 2 * pollWait + wake + gU + hU + nicQIn[v % h.nics]! + nicQOut[v % h.nics]! + (side ? nicBurst[v % h.nics]! : 0);
    const dm = this.orderDelayPoints(v, book, dly);
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
    // a request whose vCPU is off its core (probability q = (T − M)/T) waits the rest of that off
    // period — the guest takes the interrupt at its next dispatch — and no more. T counts the
    // runnable threads (`runnableThreads`). Off periods average r·s (r = (T − M)/M, by conservation),
    // and an arrival at a random time sees an off period length-biased and waits its uniform
    // remainder, above the no-wait latency; the mean stays the open loop's. Their shape depends on
    // whether the cores tick in step (a swap at a tick restarts the slice on the same tick):
    // * r ≥ ½ (at least every other core swaps at a tick: the detailed tier's cores stay in step, seen
    //   for r = 0.75–2.5): off periods last a whole number of slices, ⌊r⌋·s or ⌈r⌉·s, the latter with
    //   probability f = r − ⌊r⌋, so the wait is ((1 − f)·⌊r⌋/r)·U[0, ⌊r⌋·s] + (f·⌈r⌉/r)·U[0, ⌈r⌉·s];
    // * r < ½ (one or two waiting threads: a tick that finds nobody to swap in re-arms later and the
    //   cores drift out of step, seen for r = 1/6 and 2/5): the off period ends at the next tick of
    //   any core, so its length spreads over [0, 2·r·s] (uniform, mean r·s); the length-biased
    //   remainder then has the decreasing triangular density on [0, 2·r·s], taken here as
    //   ½·U[0, r·s] + ½·U[0, 2·r·s] (same mass on each half). A fit of the detailed tier's tail in
    //   those cells, not of its off periods' histogram (docs/fluid.md §6).
    if (this.nAlwaysRunnable > M && u.kind === K_CPU) {
      const tRun = this.runnableThreads();
      const r = (tRun - M) / M, q = (tRun - M) / tRun, sNs = slice / G * 1e9;
      out[o + F_TAIL_T0] = out[o + F_LAT_MEAN]!;
      out[o + F_TAIL_T02] = out[o + F_LAT_MEAN]!;
      if (r >= 0.5) {
        const lo = Math.floor(r), fr = r - lo;
        out[o + F_TAIL_Q] = q * (1 - fr) * lo / r;
        out[o + F_TAIL_W] = lo * sNs;
        out[o + F_TAIL_Q2] = q * fr * (lo + 1) / r;
        out[o + F_TAIL_W2] = (lo + 1) * sNs;
      } else {
        out[o + F_TAIL_Q] = q / 2;
        out[o + F_TAIL_W] = r * sNs;
        out[o + F_TAIL_Q2] = q / 2;
        out[o + F_TAIL_W2] = 2 * r * sNs;
      }
    } else if (side && u.kind === K_TRANS && u.k > 0 && this.rhoCores > 0.98 && Uv[v]! > 0.95 && nThreads > M) {
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
      if (r < 1 / 3) {
        // few waiting threads: the cores drift out of step (see the CPU-bound case above), and an off
        // period ends at the next tick, of any of the M cores, that finds a run of a whole slice to end:
        // with the cores' ticks at unrelated phases, taken as memoryless, an exponential off period of
        // mean r·s (the detailed tier's, memcached and Apache at 7 VMs, x = 2: median 0.43–0.45 ms,
        // p90 1.3–1.7 ms for r·s = 0.57 ms; exponential 0.40 and 1.3 ms). Kept as two uniforms that
        // have its mean and its 96th percentile (3.2·r·s) and 5 % beyond 3·r·s: 0.8·U[0, 1.5·r·s] +
        // 0.2·U[0, 4·r·s]. The caught transactions wait it and their turn in the drain, U[0, k·guest],
        // each uniform stretched by k·guest. Closed loops stay in step down to fewer waiting threads than
        // CPU-bound VMs (seen: out of step at r = 1/6, in step at r = 2/5, where CPU-bound VMs are out of
        // step): their vCPUs halt between transactions and the cores meet again at the next swap.
        const m = r * sNs, kg = u.k * gU / G * 1e9;
        out[o + F_TAIL_Q] = qAll * 0.8;
        out[o + F_TAIL_T0] = 0;
        out[o + F_TAIL_W] = 1.5 * m + kg;
        out[o + F_TAIL_Q2] = qAll * 0.2;
        out[o + F_TAIL_T02] = 0;
        out[o + F_TAIL_W2] = 4 * m + kg;
      } else if (lo === 0) {
        // A tick that finds no one to swap in re-arms minGran later, so the cores' ticks fall on two
        // phases δ = s − minGran apart, and an off period that spans the boundary is cut short or
        // stretched by δ: of the slice-long off periods, some last s − δ, and as many zero-length ones
        // last δ (the mean stays r·s). Seen in memcached at 7 VMs, x = 3 (r = 2/5): off periods 0, δ,
        // s − δ and s in the ratio 2 : 1 : 1 : 1, i.e. φ = min(f, 1 − f)/2 of them moved by δ; φ is a
        // fit of that cell. The δ-long ones still catch the vCPU's transactions in flight.
        const dNs = Math.max(0, slice - d.minGran) / G * 1e9;
        const phi = dNs > 0 ? Math.min(fr, 1 - fr) / 2 : 0;
        out[o + F_TAIL_Q] = qAll * phi;
        out[o + F_TAIL_T0] = dNs;
        out[o + F_TAIL_Q2] = qAll * fr;
        out[o + F_TAIL_T02] = sNs - dNs * (phi / fr);
        out[o + F_TAIL_W2] = dNs * (phi / fr) + out[o + F_TAIL_W]!;
      } else {
        out[o + F_TAIL_Q] = qAll * (1 - fr);
        out[o + F_TAIL_T0] = lo * sNs;
        out[o + F_TAIL_Q2] = qAll * fr;
        out[o + F_TAIL_T02] = (lo + 1) * sNs;
      }
    }
  }
}
