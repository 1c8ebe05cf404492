/**
 * The detailed-tier host simulator: a discrete-event model of a KVM host doing paravirtual network I/O,
 * either the baseline (one vhost thread per device, scheduled by a CFS-like scheduler together with
 * the vCPUs) or side-core (x pinned vhost workers polling the virtqueues of many VMs). The mechanisms,
 * their parameters and sources are documented in `docs/model.md`; every cost constant is in `costs.ts`.
 *
 * Time is kept in integer host cycles (all costs are rounded to whole cycles), so the cycle accounts of
 * every core add up to elapsed time exactly. All mutable state lives in typed arrays and numbers of one
 * object (`S`), which is what `getState`/`setState` copy: a restored simulator has a bit-identical future.
 *
 * Granularity (what is batched, as the real system batches it): a message is a TSO/GRO segment (up to
 * 64 KiB) or a request/response; a baseline vhost handler run takes everything queued up to the 512 KiB
 * weight; a side-core visit takes a queue up to the 512 KiB budget; a NAPI poll takes up to 64 messages.
 * Runs of empty polls are computed in closed form (the round-robin position of every queue at every
 * iteration is known), not simulated one by one.
 */
import { Rng } from '../core/rng.js';
import { DEFAULT_COSTS, type Costs } from './costs.js';
import type { EpochCounters, EpochMetrics } from './counters.js';
import { EventKernel, type KernelState } from './kernel.js';
import { sfc32Seed, sfc32Uniform } from './sfc32.js';
import { loadScenario, type Scenario, type Workload } from './scenario.js';

// ---- enumerations -------------------------------------------------------------------------------
/** Cycle owners. */
const CAT_VM_GUEST = 0, CAT_VM_EXIT = 1, CAT_VM_CTX = 2, CAT_IO_VHOST = 3, CAT_IO_CTX = 4, CAT_IO_WORK = 5, CAT_IO_POLL = 6, CAT_IDLE = 7;
export const CYCLE_CATEGORIES = ['vmGuest', 'vmExit', 'vmContextSwitch', 'ioVhost', 'ioContextSwitch', 'ioWorkerWork', 'ioWorkerPoll', 'idle'] as const;
const NCAT = 8;

/** Message types. */
const M_REQ = 1, M_REQ_SET = 2, M_RESP = 3, M_DATA = 4, M_ACK = 5 /* remote → VM, acks VM's data */, M_ACKR = 6 /* VM → remote */;

/** Queue kinds (queue id = kind * nVm + vm). */
const Q_TX = 0, Q_RXH = 1, Q_RING = 2, Q_APP = 3;

/** Thread chunk kinds. */
const CH_NONE = 0, CH_NAPI = 1, CH_APP = 2, CH_STREAM = 3, CH_BG = 4, CH_VHOST = 6;

/** Thread states. */
const TH_SLEEP = 0, TH_QUEUED = 1, TH_RUN = 2;
/** Worker states. */
const WK_OFF = 0, WK_POLL = 1, WK_BUSY = 2;

/** Epoch accumulator slots. */
const A_GOOD = 0, A_TXN = 1, A_LATSUM = 2, A_EX_KICK = 3, A_EX_INJ = 4, A_EX_EOI = 5, A_EX_HLT = 6, A_IRQ = 7, A_CSW = 8,
  A_CAT = 9, A_COMPUTE = A_CAT + NCAT, A_WK = A_COMPUTE + 1, A_HB = A_WK + 1, A_HP = A_HB + 1, A_VHOSTCPU = A_HP + 1,
  A_CYC = A_VHOSTCPU + 1, A_DROP = A_CYC + 1, NACC = A_DROP + 1;
const VA_GOOD = 0, VA_TXN = 1, VA_LAT = 2, VA_COMPUTE = 3, NVA = 4;

/** Latency histogram: log bins of 2 % from 100 ns. */
const H_BASE_NS = 100, H_RATIO = 1.02, H_BINS = 1100;
const H_LOGR = Math.log(H_RATIO);

export interface HostSimOptions {
  seed: number;
  /** Initial I/O cores (0 = baseline). */
  ioCores: number;
  /** Host overrides (else the scenario's). */
  cores?: number;
  ghz?: number;
  exitlessInterrupts?: boolean;
  /** Cost-table overrides. */
  costs?: Partial<Costs>;
}

/** The whole mutable state: typed arrays and numbers only (see `makeState`). */
type SimStateData = Record<string, Float64Array | Int32Array | Uint8Array | Uint32Array | number>;
type State = ReturnType<HostSim['makeState']>;

export interface SimState {
  readonly kind: 'iocm-hostsim';
  readonly scenario: string;
  readonly data: SimStateData;
  readonly kernel: KernelState;
}

/** Totals over a window (an epoch or the whole run), as returned by `readTotals`. */
export interface EpochReading {
  counters: EpochCounters;
  metrics: EpochMetrics;
  /** Index of the scenario phase at the end of the window. */
  phase: number;
}

function isTransactional(w: Workload): boolean {
  return w.outstanding > 0 || w.ratePerSec > 0;
}

export class HostSim {
  readonly scenario: Scenario;
  readonly costs: Readonly<Costs>;
  readonly nCores: number;
  readonly ghz: number;
  readonly nVm: number;
  readonly nVcpu: number;
  readonly nThreads: number;
  readonly maxIo: number;
  readonly exitless: boolean;
  readonly seed: number;
  /** vCPU thread → VM, and index of the vCPU inside its VM. */
  private readonly vcpuVm: Int32Array;
  private readonly vcpuIdx: Int32Array;
  /** First vCPU thread of each VM (the one that handles its I/O). */
  private readonly vmVcpu0: Int32Array;
  private readonly vmNVcpu: Int32Array;
  private readonly phaseEnd: Float64Array;
  /** Workloads of each phase, per VM (read-only, from the scenario). */
  private readonly phaseWl: Workload[][];
  private readonly words: number;
  /** Simulated time (integer cycles) and the pending events. */
  private readonly k = new EventKernel(1024);
  // Event kinds, registered with the kernel in the constructor.
  private readonly evChunk: number;
  private readonly evTick: number;
  private readonly evWorker: number;
  private readonly evHostRx: number;
  private readonly evRemoteRx: number;
  private readonly evOpen: number;
  private readonly evPhase: number;
  private readonly evDevResume: number;
  /** Costs with the guest's per-packet stack costs scaled for UDP. */
  private readonly cUdp: HostSim['c'];
  private S: State;
  // Derived integer costs (cycles).
  private readonly c: {
    kick: number; inject: number; eoi: number; hlt: number; csw: number; idleWake: number; lat: number; minGran: number; wakeGran: number;
    mig: number; vPkt: number; vByte: number; vBatch: number; E: number; poll: number; gTx: number; gRx: number; gByte: number; gIrq: number;
    sys: number; wire: number; turn: number; wkCreate: number; move: number; moveWork: number; bitCycles: number;
  };

  constructor(scenario: Scenario | string | object, opts: HostSimOptions) {
    this.scenario = isScenario(scenario) ? scenario : loadScenario(scenario);
    const sc = this.scenario;
    this.costs = Object.freeze({ ...DEFAULT_COSTS, ...(opts.costs ?? {}) });
    this.nCores = opts.cores ?? sc.host.cores;
    this.ghz = opts.ghz ?? sc.host.ghz;
    this.exitless = opts.exitlessInterrupts ?? sc.host.exitlessInterrupts;
    this.maxIo = Math.min(sc.host.maxIoCores, this.nCores - 1);
    this.seed = opts.seed;
    if (!Number.isInteger(this.nCores) || this.nCores < 2 || this.nCores > 64) throw new RangeError(`cores must be an integer in [2, 64], got ${this.nCores}`);
    this.nVm = sc.vms.length;
    let nv = 0;
    for (const vm of sc.vms) nv += vm.vcpus;
    this.nVcpu = nv;
    this.nThreads = nv + this.nVm;
    this.vcpuVm = new Int32Array(nv);
    this.vcpuIdx = new Int32Array(nv);
    this.vmVcpu0 = new Int32Array(this.nVm);
    this.vmNVcpu = new Int32Array(this.nVm);
    for (let v = 0, t = 0; v < this.nVm; v++) {
      this.vmVcpu0[v] = t;
      this.vmNVcpu[v] = sc.vms[v]!.vcpus;
      for (let k = 0; k < sc.vms[v]!.vcpus; k++, t++) { this.vcpuVm[t] = v; this.vcpuIdx[t] = k; }
    }
    const g = this.ghz, k = this.costs, r = Math.round;
    this.c = {
      kick: r(k.exitKickCycles + k.exitIndirectCycles), inject: r(k.exitInjectCycles + k.exitIndirectCycles),
      eoi: r(k.exitEoiCycles + k.exitIndirectCycles), hlt: r(k.exitHltCycles), csw: r(k.contextSwitchCycles + k.contextSwitchIndirectCycles),
      idleWake: r(k.idleWakeNs * g), lat: r(k.schedLatencyNs * g), minGran: r(k.schedMinGranularityNs * g),
      wakeGran: r(k.schedWakeupGranularityNs * g), mig: r(k.migrationCycles), vPkt: k.vhostPerPacketCycles, vByte: k.vhostPerByteCycles,
      vBatch: r(k.vhostPerBatchCycles), E: r(k.emptyPollCycles + k.workerLoopCycles), poll: r(k.emptyPollCycles),
      gTx: k.guestTxPerPacketCycles, gRx: k.guestRxPerPacketCycles, gByte: k.guestPerByteCycles, gIrq: r(k.guestIrqCycles),
      sys: k.guestSyscallCycles, wire: r(k.wireLatencyNs * g), turn: k.remoteTurnaroundNs * g,
      wkCreate: r(k.workerCreateCycles), move: r(k.deviceMoveNs * g), moveWork: r(k.deviceMoveWorkCycles),
      // cycles per byte on the wire: 8 bits / (Gbit/s) ns × GHz
      bitCycles: (8 / sc.host.nicGbps) * g,
    };
    this.cUdp = { ...this.c, gTx: k.guestTxPerPacketCycles * k.guestUdpFactor, gRx: k.guestRxPerPacketCycles * k.guestUdpFactor };
    this.phaseEnd = new Float64Array(sc.phases.length);
    this.phaseWl = sc.phases.map((p) => p.workloads);
    let acc = 0;
    sc.phases.forEach((p, i) => { acc += p.durationS; this.phaseEnd[i] = Math.round(acc * 1e9 * g); });
    this.words = Math.max(1, Math.ceil((2 * this.nVm) / 32));
    this.S = this.makeState();
    const kernel = this.k;
    this.evChunk = kernel.on('chunk', (c, gen) => { if (this.S.coreGen[c] === gen) this.chunkDone(c); });
    this.evTick = kernel.on('tick', (c, gen) => { if (this.S.coreTickGen[c] === gen) this.tick(c); });
    this.evWorker = kernel.on('worker', (w, gen) => { if (this.S.wkGen[w] === gen) this.workerEvent(w); });
    this.evHostRx = kernel.on('hostRx', (v, type, bytes, aux) => this.hostRx(v, type, bytes, aux));
    this.evRemoteRx = kernel.on('remoteRx', (v, type, bytes, aux) => this.remoteRx(v, type, bytes, aux));
    this.evOpen = kernel.on('open', (v, gen) => { if (this.S.openGen[v] === gen) this.openArrival(v); });
    this.evPhase = kernel.on('phase', (p) => this.enterPhase(p));
    this.evDevResume = kernel.on('devResume', (d, gen) => { if (this.S.devGen[d] === gen) this.devResume(d); });
    const x = opts.ioCores;
    if (!Number.isInteger(x) || x < 0 || x > this.maxIo) {
      throw new RangeError(`ioCores must be an integer in [0, ${this.maxIo}] for this host, got ${x}`);
    }
    this.start(x);
  }

  // ---- state ------------------------------------------------------------------------------------
  private makeState() {
    const nC = this.nCores, nT = this.nThreads, nV = this.nVm, nW = Math.max(1, this.maxIo), cap = 64;
    return {
      // scalars
      target: 0, curX: 0, phase: 0, minVr: 0, rqN: 0, qCap: cap, sent: 0, recv: 0, lastRead: 0,
      nicTx: new Float64Array(2), nicRx: new Float64Array(2),
      // rng (sfc32)
      rng: sfc32Seed(Rng.fromSeed(this.seed)),
      // cores
      coreThr: new Int32Array(nC).fill(-1), coreLast: new Int32Array(nC).fill(-1), coreGen: new Int32Array(nC),
      coreAcc: new Float64Array(nC), coreRunFrom: new Float64Array(nC), coreTickGen: new Int32Array(nC), coreTickArmed: new Uint8Array(nC),
      coreTot: new Float64Array(nC), coreIsIo: new Uint8Array(nC),
      // threads
      thState: new Uint8Array(nT), thCore: new Int32Array(nT).fill(-1), thVr: new Float64Array(nT), thRemCtx: new Float64Array(nT),
      thRemExit: new Float64Array(nT), thRemMain: new Float64Array(nT), thChunk: new Uint8Array(nT), thN1: new Int32Array(nT),
      thN2: new Int32Array(nT), thDebt: new Float64Array(nT), thRunStart: new Float64Array(nT), thMig: new Uint8Array(nT),
      rq: new Int32Array(nT),
      // per VM / device
      devWorker: new Int32Array(nV).fill(-1), devPos: new Int32Array(nV), devSusp: new Uint8Array(nV), devGen: new Int32Array(nV),
      txNotify: new Uint8Array(nV).fill(1), rxIrqEn: new Uint8Array(nV).fill(1), napiActive: new Uint8Array(nV), napiFirst: new Uint8Array(nV),
      txSlots: new Float64Array(nV), rxSlots: new Float64Array(nV), txBlocked: new Uint8Array(nV), rxWait: new Uint8Array(nV),
      unacked: new Float64Array(nV), remUnacked: new Float64Array(nV), remAckPend: new Float64Array(nV), vmAckPend: new Float64Array(nV), inflight: new Int32Array(nV), openGen: new Int32Array(nV),
      // queues
      qType: new Uint8Array(4 * nV * cap), qBytes: new Float64Array(4 * nV * cap), qAux: new Float64Array(4 * nV * cap),
      qHead: new Int32Array(4 * nV), qLen: new Int32Array(4 * nV), qSum: new Float64Array(4 * nV), qBusy: new Uint8Array(4 * nV),
      // workers
      wkState: new Uint8Array(nW), wkT0: new Float64Array(nW), wkP0: new Int32Array(nW), wkK: new Float64Array(nW),
      wkNextK: new Float64Array(nW), wkNextPos: new Int32Array(nW), wkGen: new Int32Array(nW), wkCtl: new Float64Array(nW),
      wkQ: new Int32Array(nW).fill(-1), wkN: new Int32Array(nW), wkAcc: new Float64Array(nW), wkNDev: new Int32Array(nW),
      wkBits: new Uint32Array(nW * this.words),
      // accumulators (epoch and whole-run)
      acc: new Float64Array(NACC), accVm: new Float64Array(nV * NVA), accIdle: new Float64Array(nC), accWk: new Float64Array(nW * 3),
      hist: new Float64Array(H_BINS),
      tot: new Float64Array(NACC), totVm: new Float64Array(nV * NVA), totIdle: new Float64Array(nC), totWk: new Float64Array(nW * 3),
      totHist: new Float64Array(H_BINS), totFrom: 0,
    };
  }

  /** Current simulated time, ns. */
  get nowNs(): number {
    return this.k.now / this.ghz;
  }

  /** Events processed since the start (stale, cancelled ones included). */
  get eventsProcessed(): number {
    return this.k.events;
  }

  /** Current number of I/O cores (0 = baseline). */
  get ioCores(): number {
    return this.S.curX;
  }

  /** Index of the current phase (the last one after the scenario's end). */
  get phase(): number {
    return this.S.phase;
  }

  // ---- random numbers ---------------------------------------------------------------------------
  private rand(): number {
    return sfc32Uniform(this.S.rng);
  }

  // ---- queues -----------------------------------------------------------------------------------
  private qPush(q: number, type: number, bytes: number, aux: number): void {
    const S = this.S;
    const len = S.qLen[q]!;
    if (len === S.qCap) this.growQueues();
    const cap = S.qCap;
    let j = S.qHead[q]! + len;
    if (j >= cap) j -= cap;
    const i = q * cap + j;
    S.qType[i] = type; S.qBytes[i] = bytes; S.qAux[i] = aux;
    S.qLen[q] = len + 1;
    S.qSum[q] = S.qSum[q]! + bytes;
  }

  private growQueues(): void {
    const S = this.S, cap = S.qCap, nq = 4 * this.nVm, ncap = cap * 2;
    const t = new Uint8Array(nq * ncap), b = new Float64Array(nq * ncap), a = new Float64Array(nq * ncap);
    const head = S.qHead, len = S.qLen;
    for (let q = 0; q < nq; q++) {
      for (let j = 0; j < len[q]!; j++) {
        const src = q * cap + ((head[q]! + j) % cap), dst = q * ncap + j;
        t[dst] = S.qType[src]!; b[dst] = S.qBytes[src]!; a[dst] = S.qAux[src]!;
      }
      head[q] = 0;
    }
    S.qType = t; S.qBytes = b; S.qAux = a; S.qCap = ncap;
  }

  /** Index of the j-th element of queue q. */
  private qIdx(q: number, j: number): number {
    const cap = this.S.qCap;
    let k = this.S.qHead[q]! + j; // j < cap
    if (k >= cap) k -= cap;
    return q * cap + k;
  }

  private qPop(q: number): number {
    const S = this.S, cap = S.qCap;
    const h = S.qHead[q]!;
    const i = q * cap + h;
    S.qHead[q] = h + 1 === cap ? 0 : h + 1;
    S.qLen[q] = S.qLen[q]! - 1;
    S.qSum[q] = S.qSum[q]! - S.qBytes[i]!;
    return i;
  }

  /** Descriptors a message takes in the TX ring (one chain per packet, indirect descriptors). */
  private txSlotsOf(type: number, bytes: number, aux: number): number {
    return this.pkts(type, bytes, aux);
  }

  /** Buffers a message takes in the RX ring (mergeable buffers of rxBufferBytes, ≥ one per packet). */
  private rxSlotsOf(type: number, bytes: number, aux: number): number {
    return Math.max(this.pkts(type, bytes, aux), Math.ceil(bytes / this.costs.rxBufferBytes));
  }

  /** The guest adds a message to VM v's TX ring. */
  private txPush(v: number, type: number, bytes: number, aux: number): void {
    this.qPush(Q_TX * this.nVm + v, type, bytes, aux);
    const ts = this.S.txSlots;
    ts[v] = ts[v]! + this.txSlotsOf(type, bytes, aux);
  }

  /** Packets (segments inside the host) of a message. */
  private pkts(type: number, bytes: number, aux: number): number {
    if (type === M_ACK || type === M_ACKR) return Math.max(1, Math.round(bytes / this.costs.ackBytes));
    if (type === M_DATA) return Math.max(1, Math.ceil(bytes / aux)); // aux = segment size of the burst
    return Math.max(1, Math.ceil(bytes / this.costs.tsoBytes));
  }

  // ---- start ------------------------------------------------------------------------------------
  private start(x: number): void {
    const S = this.S;
    for (let v = 0; v < this.nVm; v++) S.devWorker[v] = -1;
    S.curX = 0;
    if (x > 0) this.reconfigure(x, false);
    for (let i = 0; i < this.phaseEnd.length - 1; i++) this.k.schedule(this.evPhase, this.phaseEnd[i]!, i + 1, 0, 0, 0);
    this.enterPhase(0);
  }

  private workload(v: number): Workload {
    return this.phaseWl[this.S.phase]![v]!;
  }

  private enterPhase(p: number): void {
    const S = this.S;
    S.phase = p;
    for (let v = 0; v < this.nVm; v++) {
      const w = this.workload(v);
      S.openGen[v] = S.openGen[v]! + 1;
      if (w.outstanding > 0) {
        // closed loop: top up to `outstanding` transactions in flight, staggered over one turnaround
        for (let i = S.inflight[v]!; i < w.outstanding; i++) {
          S.inflight[v] = S.inflight[v]! + 1;
          this.sendRequest(v, this.k.now + Math.round(this.rand() * this.c.turn));
        }
      } else if (w.ratePerSec > 0) {
        this.k.schedule(this.evOpen, this.k.now + this.expCycles(w.ratePerSec), v, S.openGen[v]!, 0, 0);
      }
      if (w.type === 'tcp_stream_rx') this.remotePump(v);
      // wake vCPUs that now have work of their own (stream TX, CPU-bound)
      const t0 = this.vmVcpu0[v]!;
      for (let k = 0; k < this.vmNVcpu[v]!; k++) {
        if ((w.cpuBound || (k === 0 && w.type === 'tcp_stream_tx')) && S.thState[t0 + k] === TH_SLEEP) this.wake(t0 + k);
      }
    }
  }

  private expCycles(ratePerSec: number): number {
    return Math.max(1, Math.round(-Math.log(this.rand()) * (1e9 * this.ghz) / ratePerSec));
  }

  // ---- the run loop -----------------------------------------------------------------------------
  /** Runs every event up to now + dtNs. */
  advance(dtNs: number): void {
    if (!(dtNs >= 0)) throw new RangeError(`advance: dtNs must be >= 0, got ${dtNs}`);
    this.S.target += dtNs;
    this.k.run(Math.round(this.S.target * this.ghz));
  }

  // ---- accounting -------------------------------------------------------------------------------
  private addCat(cat: number, cyc: number): void {
    const acc = this.S.acc;
    acc[A_CAT + cat] = acc[A_CAT + cat]! + cyc;
  }

  /** Accounts core c (a VM core) up to time T. */
  private syncCore(c: number, T: number): void {
    const S = this.S;
    const coreAcc = S.coreAcc;
    const from = coreAcc[c]!;
    const el = T - from;
    if (el <= 0) return;
    coreAcc[c] = T;
    S.coreTot[c] = S.coreTot[c]! + el;
    const t = S.coreThr[c]!;
    if (t < 0) {
      this.addCat(CAT_IDLE, el);
      S.accIdle[c] = S.accIdle[c]! + el;
      return;
    }
    let idle = S.coreRunFrom[c]! - from;
    if (idle > 0) {
      if (idle > el) idle = el;
      this.addCat(CAT_IDLE, idle);
      S.accIdle[c] = S.accIdle[c]! + idle;
    } else idle = 0;
    this.progress(t, el - idle);
  }

  /** Thread t ran `cyc` cycles: consume its context-switch, exit and main parts in that order. */
  private progress(t: number, cyc: number): void {
    if (cyc <= 0) return;
    const S = this.S;
    const isVcpu = t < this.nVcpu;
    const acc = S.acc;
    S.thVr[t] = S.thVr[t]! + cyc;
    const rc = S.thRemCtx, re = S.thRemExit, rm = S.thRemMain;
    let left = cyc;
    const a = Math.min(left, rc[t]!);
    if (a > 0) { rc[t] = rc[t]! - a; left -= a; this.addCat(isVcpu ? CAT_VM_CTX : CAT_IO_CTX, a); }
    const b = Math.min(left, re[t]!);
    if (b > 0) { re[t] = re[t]! - b; left -= b; this.addCat(CAT_VM_EXIT, b); }
    if (left > 0) {
      rm[t] = rm[t]! - left;
      if (isVcpu) {
        this.addCat(CAT_VM_GUEST, left);
        if (S.thChunk[t] === CH_BG) {
          acc[A_COMPUTE] = acc[A_COMPUTE]! + left;
          const va = S.accVm, i = this.vcpuVm[t]! * NVA + VA_COMPUTE;
          va[i] = va[i]! + left;
        }
      } else {
        this.addCat(CAT_IO_VHOST, left);
        acc[A_WK] = acc[A_WK]! + left;
      }
    }
    if (!isVcpu) acc[A_VHOSTCPU] = acc[A_VHOSTCPU]! + a + left;
  }

  // ---- scheduler (VM cores) ---------------------------------------------------------------------
  private rqPush(t: number): void {
    const S = this.S, rq = S.rq, vr = S.thVr;
    S.thState[t] = TH_QUEUED;
    let i = S.rqN++;
    const key = vr[t]!;
    while (i > 0) {
      const p = (i - 1) >> 1, tp = rq[p]!, kp = vr[tp]!;
      if (kp < key || (kp === key && tp < t)) break;
      rq[i] = tp; i = p;
    }
    rq[i] = t;
  }

  private rqPop(): number {
    const S = this.S, rq = S.rq, vr = S.thVr;
    const top = rq[0]!;
    const n = --S.rqN;
    if (n > 0) {
      const last = rq[n]!, key = vr[last]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        const r = c + 1;
        if (r < n && (vr[rq[r]!]! < vr[rq[c]!]! || (vr[rq[r]!] === vr[rq[c]!] && rq[r]! < rq[c]!))) c = r;
        const kc = vr[rq[c]!]!;
        if (key < kc || (key === kc && last < rq[c]!)) break;
        rq[i] = rq[c]!; i = c;
      }
      rq[i] = last;
    }
    return top;
  }

  /** Wakes a sleeping thread: place it on an idle VM core, or preempt, or queue it. */
  private wake(t: number): void {
    const S = this.S;
    if (S.thState[t] !== TH_SLEEP) return;
    const vr = S.thVr;
    // CFS sleeper placement (GENTLE_FAIR_SLEEPERS): at most half a latency period of credit
    const floor = S.minVr - this.c.lat / 2;
    if (vr[t]! < floor) vr[t] = floor;
    const coreThr = S.coreThr;
    const last = S.thCore[t]!;
    let idle = -1;
    if (last >= 0 && !S.coreIsIo[last] && coreThr[last] === -1) idle = last;
    else {
      for (let c = S.curX; c < this.nCores; c++) if (coreThr[c] === -1) { idle = c; break; }
    }
    if (idle >= 0) {
      this.syncCore(idle, this.k.now);
      this.dispatch(idle, t, true);
      return;
    }
    // wake-up preemption: against the running thread with the largest vruntime
    let worst = -1, worstVr = -Infinity;
    for (let c = S.curX; c < this.nCores; c++) {
      const u = coreThr[c]!;
      if (u < 0) continue;
      this.syncCore(c, this.k.now);
      if (vr[u]! > worstVr) { worstVr = vr[u]!; worst = c; }
    }
    if (worst >= 0 && vr[t]! + this.c.wakeGran < worstVr) {
      this.preempt(worst);
      if (this.dispatch(worst, t, false)) return;
      this.dispatchNext(worst, false);
      return;
    }
    this.rqPush(t);
    this.armTicks();
  }

  /** Stops the thread running on VM core c and queues it (its chunk's remainder is kept). */
  private preempt(c: number): void {
    const S = this.S;
    this.syncCore(c, this.k.now);
    const t = S.coreThr[c]!;
    S.coreGen[c] = S.coreGen[c]! + 1;
    S.coreThr[c] = -1;
    S.coreRunFrom[c] = this.k.now;
    if (t >= 0) this.rqPush(t);
  }

  /** Runs thread t on idle VM core c (already synced). False if t had nothing to do (it sleeps). */
  private dispatch(c: number, t: number, fromIdle: boolean): boolean {
    const S = this.S;
    const th = S.thState;
    if (S.thChunk[t] === CH_NONE && !this.pick(t)) {
      th[t] = TH_SLEEP;
      return false;
    }
    const coreLast = S.coreLast;
    if (coreLast[c] !== t) {
      S.thRemCtx[t] = S.thRemCtx[t]! + this.c.csw;
      const acc = S.acc;
      acc[A_CSW] = acc[A_CSW]! + 1;
      coreLast[c] = t;
    }
    if (S.thMig[t]) {
      S.thMig[t] = 0;
      S.thRemCtx[t] = S.thRemCtx[t]! + this.c.mig;
    }
    th[t] = TH_RUN;
    S.thCore[t] = c;
    S.coreThr[c] = t;
    S.thRunStart[t] = this.k.now;
    // CFS min_vruntime: monotonic, follows the smallest vruntime among running and queued threads
    let mv = S.thVr[t]!;
    if (S.rqN > 0) mv = Math.min(mv, S.thVr[S.rq[0]!]!);
    if (mv > S.minVr) S.minVr = mv;
    const from = fromIdle ? this.k.now + this.c.idleWake : this.k.now;
    S.coreRunFrom[c] = from;
    this.scheduleChunk(c, t, from);
    return true;
  }

  private scheduleChunk(c: number, t: number, from: number): void {
    const S = this.S;
    const gen = S.coreGen[c]! + 1;
    S.coreGen[c] = gen;
    const rem = S.thRemCtx[t]! + S.thRemExit[t]! + S.thRemMain[t]!;
    this.k.schedule(this.evChunk, from + rem, c, gen, 0, 0);
  }

  /** Core c is free: run the next queued thread, or idle. */
  private dispatchNext(c: number, fromIdle: boolean): void {
    const S = this.S;
    S.coreThr[c] = -1;
    S.coreRunFrom[c] = this.k.now;
    while (S.rqN > 0) {
      const t = this.rqPop();
      if (this.dispatch(c, t, fromIdle)) return;
    }
  }

  private slice(): number {
    const S = this.S;
    let running = 0;
    const coreThr = S.coreThr;
    for (let c = S.curX; c < this.nCores; c++) if (coreThr[c]! >= 0) running++;
    return Math.max(Math.round(this.c.lat / (running + S.rqN)), this.c.minGran);
  }

  /** Arms a slice-expiry tick on every busy VM core that has none while threads wait. */
  private armTicks(): void {
    const S = this.S;
    const coreThr = S.coreThr, armed = S.coreTickArmed;
    const sl = this.slice();
    for (let c = S.curX; c < this.nCores; c++) {
      const t = coreThr[c]!;
      if (t < 0 || armed[c]) continue;
      armed[c] = 1;
      const gen = S.coreTickGen[c]! + 1;
      S.coreTickGen[c] = gen;
      this.k.schedule(this.evTick, Math.max(this.k.now, S.thRunStart[t]! + sl), c, gen, 0, 0);
    }
  }

  private tick(c: number): void {
    const S = this.S;
    S.coreTickArmed[c] = 0;
    if (S.rqN === 0 || S.coreIsIo[c]) return;
    const t = S.coreThr[c]!;
    if (t < 0) { this.dispatchNext(c, true); return; }
    this.syncCore(c, this.k.now);
    const vr = S.thVr;
    const ran = this.k.now - S.thRunStart[t]!;
    const sl = this.slice();
    if (ran >= sl && vr[S.rq[0]!]! < vr[t]!) {
      this.preempt(c);
      this.dispatchNext(c, false);
      if (S.rqN > 0) this.armTicks();
      return;
    }
    S.coreTickArmed[c] = 1;
    const gen = S.coreTickGen[c]! + 1;
    S.coreTickGen[c] = gen;
    this.k.schedule(this.evTick, this.k.now + Math.max(sl - ran, this.c.minGran), c, gen, 0, 0);
  }

  /** The chunk of the thread on core c has completed. */
  private chunkDone(c: number): void {
    const S = this.S;
    this.syncCore(c, this.k.now);
    const t = S.coreThr[c]!;
    this.complete(t);
    // the completion may wake a thread that preempts this one at once (CFS wake-up preemption of the
    // waker): t is then queued without a chunk and picks its next work when it runs again
    if (S.coreThr[c] !== t) return;
    if (this.pick(t)) {
      S.coreRunFrom[c] = this.k.now;
      this.scheduleChunk(c, t, this.k.now);
      return;
    }
    S.thState[t] = TH_SLEEP;
    this.dispatchNext(c, false);
  }

  // ---- work selection and completion (threads) -------------------------------------------------
  /** Chooses the next chunk of thread t; false if it has nothing to do (it will sleep). */
  private pick(t: number): boolean {
    return t < this.nVcpu ? this.pickVcpu(t) : this.pickVhost(t - this.nVcpu);
  }

  private setChunk(t: number, kind: number, exit: number, main: number, n1: number, n2: number): void {
    const S = this.S;
    S.thChunk[t] = kind;
    S.thRemExit[t] = S.thRemExit[t]! + exit + S.thDebt[t]!;
    S.thDebt[t] = 0;
    S.thRemMain[t] = Math.round(main);
    S.thN1[t] = n1;
    S.thN2[t] = n2;
  }

  private injected(v: number): boolean {
    return this.S.devWorker[v]! < 0 || !this.exitless;
  }

  private pickVcpu(t: number): boolean {
    const S = this.S, v = this.vcpuVm[t]!, w = this.workload(v);
    const c = w.type === 'udp_rr' ? this.cUdp : this.c;
    const nV = this.nVm;
    if (this.vcpuIdx[t] === 0) {
      // 1. softirq: NAPI poll of the RX ring (after an interrupt), up to napiWeight messages
      const qr = Q_RING * nV + v;
      const len = S.qLen[qr]!;
      if (S.napiActive[v] && len > 0) {
        const n = Math.min(len, this.costs.napiWeight);
        let cyc = 0, exit = 0;
        if (S.napiFirst[v]) {
          S.napiFirst[v] = 0;
          cyc += c.gIrq;
          if (this.injected(v)) { exit += c.eoi; this.count(A_EX_EOI); }
        }
        for (let j = 0; j < n; j++) {
          const i = this.qIdx(qr, j);
          const ty = S.qType[i]!, by = S.qBytes[i]!, ax = S.qAux[i]!;
          cyc += c.gRx * this.pkts(ty, by, ax);
          if (ty === M_DATA) {
            // copy to the reader (recv calls of messageBytes) and the ACKs sent back (see ackUnit)
            cyc += c.gByte * by + c.sys * (by / Math.max(1, w.messageBytes || by)) + c.gTx * (by / this.ackUnit(ax));
          } else if (ty !== M_ACK) cyc += c.gByte * by;
        }
        // a single request and an idle application: the softirq and the application's handling of it
        // run back to back on this vCPU, as one chunk (nothing else can run in between but another
        // interrupt, which only re-raises NAPI)
        let fused = 0;
        if (n === 1 && S.qLen[Q_APP * nV + v] === 0) {
          const ty = S.qType[this.qIdx(qr, 0)]!;
          if (ty === M_REQ || ty === M_REQ_SET) { cyc += this.appCycles(w, ty, c); fused = 1; }
        }
        this.setChunk(t, CH_NAPI, exit, cyc, n, fused);
        return true;
      }
      // 2. the application: one request → one response
      const qa = Q_APP * nV + v;
      if (S.qLen[qa]! > 0) {
        this.setChunk(t, CH_APP, 0, this.appCycles(w, S.qType[this.qIdx(qa, 0)]!, c), 0, 0);
        return true;
      }
      // 3. a streaming sender: one TSO segment if the TCP window allows
      const burst = this.burstBytes(w);
      if (w.type === 'tcp_stream_tx' && S.unacked[v]! + burst <= w.windowBytes && !this.txRingFull(v, burst, w)) {
        // send() calls of messageBytes, one TX packet per segment, the copy from user space
        const cyc = c.sys * (burst / w.messageBytes) + c.gTx * Math.ceil(burst / w.segmentBytes) + c.gByte * burst;
        this.setChunk(t, CH_STREAM, 0, cyc, burst, w.segmentBytes);
        return true;
      }
    }
    // 4. CPU-bound computation (preemptible at any point by an interrupt)
    if (w.cpuBound) {
      this.setChunk(t, CH_BG, 0, c.minGran, 0, 0);
      return true;
    }
    // 5. nothing to do: HLT. The vCPU thread sleeps at once; the exit's cycles are charged to the vCPU
    //    when it next runs (as exit time), which keeps one event per halt out of the queue.
    this.count(A_EX_HLT);
    S.thDebt[t] = S.thDebt[t]! + c.hlt;
    return false;
  }

  /**
   * Is VM v's TX ring too full for a burst? Then the guest stops its queue (netif_stop_queue) and asks
   * for a TX interrupt when the host has used buffers (virtqueue_enable_cb_delayed).
   */
  private txRingFull(v: number, burst: number, w: Workload): boolean {
    const S = this.S;
    if (S.txSlots[v]! + Math.ceil(burst / w.segmentBytes) <= this.costs.ringSize) return false;
    S.txBlocked[v] = 1;
    return true;
  }

  /**
   * Bytes acknowledged per ACK: delayed ACK acknowledges every second full-sized segment, and a GRO
   * segment larger than that gets one ACK (Linux `__tcp_ack_snd_check`).
   */
  private ackUnit(segmentBytes: number): number {
    return Math.max(2 * this.costs.mssBytes, segmentBytes);
  }

  /**
   * Bytes a stream sender hands to the stack at once: one TSO segment, or, without TSO, the MTU packets
   * of one send() call (tcp_write_xmit pushes them back to back); such a burst travels as one message
   * whose per-packet costs count each segment.
   */
  private burstBytes(w: Workload): number {
    const seg = w.segmentBytes;
    return seg >= w.messageBytes ? seg : Math.max(1, Math.floor(w.messageBytes / seg)) * seg;
  }

  /** Guest cycles to serve one request: recv + send calls, the application's work, sending the response. */
  private appCycles(w: Workload, type: number, c: HostSim['c']): number {
    const resp = this.respBytes(w, type);
    let app = w.appCycles;
    if (app > 0) app *= 0.5 + this.rand(); // [INF] per-request work varies ±50 % (uniform)
    return 2 * c.sys + app + c.gTx * this.pkts(M_RESP, resp, 0) + c.gByte * resp;
  }

  private respBytes(w: Workload, type: number): number {
    if (type === M_REQ_SET) return 8; // "STORED\r\n"
    return isTransactional(w) ? w.responseBytes : 1;
  }

  private count(slot: number): void {
    const acc = this.S.acc;
    acc[slot] = acc[slot]! + 1;
  }

  private pickVhost(d: number): boolean {
    const S = this.S, c = this.c, nV = this.nVm;
    if (S.devWorker[d]! >= 0 || S.devSusp[d]) return false;
    const qt = Q_TX * nV + d, qh = Q_RXH * nV + d;
    const busy = S.qBusy;
    let cyc = c.vBatch;
    const ntx = busy[qt] ? 0 : this.takeBudget(qt);
    const nrx = busy[qh] ? 0 : this.takeBudget(qh);
    if (ntx + nrx === 0) {
      // vhost_enable_notify(): the next guest kick wakes us
      S.txNotify[d] = 1;
      return false;
    }
    cyc += this.batchCycles(qt, ntx) + this.batchCycles(qh, nrx);
    if (ntx) busy[qt] = 1;
    if (nrx) busy[qh] = 1;
    S.txNotify[d] = 0; // vhost_disable_notify() while handling
    this.setChunk(this.nVcpu + d, CH_VHOST, 0, cyc, ntx, nrx);
    return true;
  }

  /** Messages a handler takes from the head of queue q within the per-visit byte budget. */
  private takeBudget(q: number): number {
    const S = this.S, nV = this.nVm;
    const len = S.qLen[q]!;
    let n = 0, bytes = 0;
    const max = this.costs.visitMaxBytes;
    // RX: only as many messages as the guest's RX ring has free buffers for
    const rx = q >= Q_RXH * nV;
    let room = rx ? this.costs.ringSize - S.rxSlots[q - Q_RXH * nV]! : Infinity;
    while (n < len && bytes < max) {
      const i = this.qIdx(q, n);
      if (rx) {
        room -= this.rxSlotsOf(S.qType[i]!, S.qBytes[i]!, S.qAux[i]!);
        if (room < 0) break;
      }
      bytes += S.qBytes[i]!;
      n++;
    }
    // the ring is full: ask the guest to notify when it adds buffers (a refill kick)
    if (rx && n === 0 && len > 0) S.rxWait[q - Q_RXH * nV] = 1;
    return n;
  }

  private batchCycles(q: number, n: number): number {
    const S = this.S, c = this.c;
    let cyc = 0;
    for (let j = 0; j < n; j++) {
      const i = this.qIdx(q, j);
      const by = S.qBytes[i]!;
      cyc += c.vPkt * this.pkts(S.qType[i]!, by, S.qAux[i]!) + c.vByte * by;
    }
    return cyc;
  }

  /** Effects of the chunk thread t just finished. */
  private complete(t: number): void {
    const S = this.S;
    const kind = S.thChunk[t]!;
    S.thChunk[t] = CH_NONE;
    const nV = this.nVm;
    if (kind === CH_VHOST) {
      const d = t - this.nVcpu;
      this.handled(Q_TX * nV + d, S.thN1[t]!, true);
      this.handled(Q_RXH * nV + d, S.thN2[t]!, false);
      this.afterHandled(d);
      return;
    }
    const v = this.vcpuVm[t]!;
    if (kind === CH_NAPI) {
      const qr = Q_RING * nV + v;
      const n = S.thN1[t]!;
      let sentTx = false;
      const w = this.workload(v);
      for (let j = 0; j < n; j++) {
        const i = this.qPop(qr);
        const ty = S.qType[i]!, by = S.qBytes[i]!, ax = S.qAux[i]!;
        S.rxSlots[v] = S.rxSlots[v]! - this.rxSlotsOf(ty, by, ax);
        if (ty === M_REQ || ty === M_REQ_SET) {
          this.qPush(Q_APP * nV + v, ty, by, ax);
        } else if (ty === M_DATA) {
          this.consumed(by);
          this.goodput(v, by);
          const ap = S.vmAckPend, unit = this.ackUnit(ax);
          ap[v] = ap[v]! + by;
          if (ap[v]! >= unit) {
            const n = Math.floor(ap[v]! / unit);
            this.txPush(v, M_ACKR, n * this.costs.ackBytes, ap[v]!);
            this.sentBytes(n * this.costs.ackBytes);
            ap[v] = 0;
            sentTx = true;
          }
        } else if (ty === M_ACK) {
          this.consumed(by);
          const u = S.unacked;
          u[v] = Math.max(0, u[v]! - ax);
        } else this.consumed(by);
      }
      void w;
      if (S.thN2[t]) { this.appDone(v); sentTx = true; }
      if (sentTx) this.txAdded(v, t);
      if (S.rxWait[v]) this.rxRefilled(v, t);
      if (S.qLen[qr] === 0) {
        S.napiActive[v] = 0;
        S.rxIrqEn[v] = 1; // napi_complete + virtqueue_enable_cb (EVENT_IDX)
      }
      return;
    }
    if (kind === CH_APP) {
      this.appDone(v);
      this.txAdded(v, t);
      return;
    }
    if (kind === CH_STREAM) {
      // the burst priced when the chunk was picked (the phase may have changed since)
      const burst = S.thN1[t]!, seg = S.thN2[t]!;
      S.unacked[v] = S.unacked[v]! + burst;
      this.txPush(v, M_DATA, burst, seg);
      this.sentBytes(burst);
      this.txAdded(v, t);
    }
  }

  /** The application served the request at the head of VM v's queue: the response goes to the TX ring. */
  private appDone(v: number): void {
    const S = this.S, nV = this.nVm;
    const i = this.qPop(Q_APP * nV + v);
    const ty = S.qType[i]!, by = S.qBytes[i]!, ax = S.qAux[i]!;
    this.consumed(by);
    this.goodput(v, by);
    const resp = this.respBytes(this.workload(v), ty);
    this.txPush(v, M_RESP, resp, ax);
    this.sentBytes(resp);
  }

  private consumed(bytes: number): void { this.S.recv += bytes; }
  private sentBytes(bytes: number): void { this.S.sent += bytes; }
  private goodput(v: number, bytes: number): void {
    const S = this.S, acc = S.acc, va = S.accVm;
    acc[A_GOOD] = acc[A_GOOD]! + bytes;
    va[v * NVA + VA_GOOD] = va[v * NVA + VA_GOOD]! + bytes;
  }

  /** The guest (vCPU thread t of VM v) added buffers to its TX ring: kick if the host asked for it. */
  private txAdded(v: number, t: number): void {
    const S = this.S;
    const dw = S.devWorker[v]!;
    if (S.devSusp[v]) return;
    if (dw >= 0) { this.refreshVq(v, 0); return; } // polled: VRING_USED_F_NO_NOTIFY, no kick
    if (!S.txNotify[v]) return; // EVENT_IDX: the host has not asked for a kick
    S.txNotify[v] = 0;
    this.count(A_EX_KICK);
    S.thDebt[t] = S.thDebt[t]! + this.c.kick;
    this.wake(this.nVcpu + v);
  }

  /**
   * The guest refilled its RX ring while the host waits for buffers: the refill notification is a kick
   * (an exit) in the baseline; a polling worker just sees the room at its next visit.
   */
  private rxRefilled(v: number, t: number): void {
    const S = this.S;
    S.rxWait[v] = 0;
    if (S.devSusp[v]) return;
    if (S.devWorker[v]! >= 0) { this.refreshVq(v, 1); return; }
    this.count(A_EX_KICK);
    S.thDebt[t] = S.thDebt[t]! + this.c.kick;
    this.wake(this.nVcpu + v);
  }

  /** Pops the n messages a handler took from queue q and sends them on (TX → wire, RX → guest ring). */
  private handled(q: number, n: number, tx: boolean): void {
    const S = this.S, acc = S.acc, nV = this.nVm;
    if (n === 0) return; // took nothing: the queue's busy flag (if any) belongs to another handler
    S.qBusy[q] = 0;
    const v = q % nV;
    for (let j = 0; j < n; j++) {
      const i = this.qPop(q);
      const ty = S.qType[i]!, by = S.qBytes[i]!, ax = S.qAux[i]!;
      acc[A_HB] = acc[A_HB]! + by;
      acc[A_HP] = acc[A_HP]! + this.pkts(ty, by, ax);
      if (tx) {
        S.txSlots[v] = S.txSlots[v]! - this.txSlotsOf(ty, by, ax);
        this.wireToRemote(v, ty, by, ax);
      } else {
        S.rxSlots[v] = S.rxSlots[v]! + this.rxSlotsOf(ty, by, ax);
        this.qPush(Q_RING * nV + v, ty, by, ax);
      }
    }
    if (!tx) this.signalGuest(v);
    else if (S.txBlocked[v]) this.txSpace(v);
  }

  /** Used TX buffers for a guest whose TX queue is stopped: the TX interrupt restarts its sender. */
  private txSpace(v: number): void {
    const S = this.S;
    S.txBlocked[v] = 0;
    this.count(A_IRQ);
    const t = this.vmVcpu0[v]!;
    const st = S.thState[t]!;
    // interrupt entry (guest) and, when injected, the injection and EOI exits, paid by the vCPU
    let debt = this.c.gIrq;
    if (this.injected(v)) {
      this.count(A_EX_EOI);
      debt += this.c.eoi;
      if (st === TH_RUN) { this.count(A_EX_INJ); debt += this.c.inject; }
    }
    S.thDebt[t] = S.thDebt[t]! + debt;
    if (st === TH_SLEEP) this.wake(t);
  }

  /** After a handler finished a device's queues: let its current owner look at what is left. */
  private afterHandled(d: number): void {
    const S = this.S;
    if (S.devWorker[d]! >= 0) { this.refreshVq(d, 0); this.refreshVq(d, 1); }
  }

  /** The host put used RX buffers in VM v's ring: interrupt the guest unless it is polling (NAPI). */
  private signalGuest(v: number): void {
    const S = this.S;
    if (!S.rxIrqEn[v]) return; // EVENT_IDX / NAPI: the guest will poll the ring
    S.rxIrqEn[v] = 0;
    S.napiActive[v] = 1;
    S.napiFirst[v] = 1;
    this.count(A_IRQ);
    const t = this.vmVcpu0[v]!;
    const st = S.thState[t]!;
    if (st === TH_SLEEP) { this.wake(t); return; }
    if (st !== TH_RUN) {
      // queued (preempted, waiting for a core): the interrupt is injected at the next VM entry, with no
      // extra exit, and taken before any more guest computation. The vCPU is off core, so its cycles up
      // to now are already accounted; dropping the rest of its computation chunk loses no work (the
      // computation is unbounded: the vCPU picks a fresh chunk after the interrupt's softirq), and
      // `dispatch` picks the NAPI poll first. Other chunks (kernel work) are finished first, as when
      // running.
      if (S.thChunk[t] === CH_BG) {
        S.thChunk[t] = CH_NONE;
        S.thRemMain[t] = 0;
      }
      return;
    }
    if (this.injected(v)) {
      this.count(A_EX_INJ);
      S.thDebt[t] = S.thDebt[t]! + this.c.inject;
    }
    if (S.thChunk[t] === CH_BG) {
      // the interrupt preempts guest computation at once
      const c = S.thCore[t]!;
      this.syncCore(c, this.k.now);
      S.thChunk[t] = CH_NONE;
      S.thRemMain[t] = 0;
      if (this.pick(t)) {
        S.coreRunFrom[c] = Math.max(this.k.now, S.coreRunFrom[c]!);
        this.scheduleChunk(c, t, S.coreRunFrom[c]!);
      }
    }
  }

  // ---- network ------------------------------------------------------------------------------------
  private wireCycles(bytes: number): number {
    const k = this.costs;
    const frames = Math.max(1, Math.ceil(bytes / k.mssBytes));
    return Math.max(1, Math.round((bytes + frames * k.frameOverheadBytes) * this.c.bitCycles));
  }

  /** Host NIC → wire → remote. */
  private wireToRemote(v: number, type: number, bytes: number, aux: number): void {
    const S = this.S, nic = v % this.scenario.host.nics;
    const start = Math.max(this.k.now, S.nicTx[nic]!);
    const end = start + this.wireCycles(bytes);
    S.nicTx[nic] = end;
    this.k.schedule(this.evRemoteRx, end + this.c.wire, v, type, bytes, aux);
  }

  /** Remote → wire → host NIC; the message leaves the remote at `at` (≥ now) or later if the link is busy. */
  private remoteSend(v: number, type: number, bytes: number, aux: number, at: number): void {
    const S = this.S, nic = v % this.scenario.host.nics;
    const start = Math.max(at, S.nicRx[nic]!);
    const end = start + this.wireCycles(bytes);
    S.nicRx[nic] = end;
    this.sentBytes(bytes);
    this.k.schedule(this.evHostRx, end + this.c.wire, v, type, bytes, aux);
  }

  private hostRx(v: number, type: number, bytes: number, aux: number): void {
    const S = this.S;
    this.qPush(Q_RXH * this.nVm + v, type, bytes, aux);
    if (S.devSusp[v]) return;
    if (S.devWorker[v]! >= 0) this.refreshVq(v, 1);
    else this.wake(this.nVcpu + v); // tap socket → vhost handle_rx wake-up
  }

  private remoteRx(v: number, type: number, bytes: number, aux: number): void {
    const S = this.S;
    this.consumed(bytes);
    const w = this.workload(v);
    if (type === M_RESP) {
      const acc = S.acc, va = S.accVm;
      const lat = (this.k.now - aux) / this.ghz;
      acc[A_TXN] = acc[A_TXN]! + 1; acc[A_LATSUM] = acc[A_LATSUM]! + lat;
      va[v * NVA + VA_TXN] = va[v * NVA + VA_TXN]! + 1; va[v * NVA + VA_LAT] = va[v * NVA + VA_LAT]! + lat;
      let b = Math.floor(Math.log(Math.max(lat, H_BASE_NS) / H_BASE_NS) / H_LOGR);
      if (b >= H_BINS) b = H_BINS - 1;
      const h = S.hist;
      h[b] = h[b]! + 1;
      this.goodput(v, bytes);
      const inf = S.inflight;
      if (inf[v]! > 0) inf[v] = inf[v]! - 1;
      if (w.outstanding > 0 && inf[v]! < w.outstanding) {
        inf[v] = inf[v]! + 1;
        // the client's next request leaves after its turnaround (the send is timed, not an event)
        this.sendRequest(v, this.k.now + Math.round(this.c.turn * (0.5 + this.rand())));
      }
    } else if (type === M_DATA) {
      this.goodput(v, bytes);
      // the remote receiver ACKs at once (see ackUnit)
      const ap = S.remAckPend, unit = this.ackUnit(aux);
      ap[v] = ap[v]! + bytes;
      if (ap[v]! >= unit) {
        const n = Math.floor(ap[v]! / unit);
        this.remoteSend(v, M_ACK, n * this.costs.ackBytes, ap[v]!, this.k.now);
        ap[v] = 0;
      }
    } else if (type === M_ACKR) {
      const u = S.remUnacked;
      u[v] = Math.max(0, u[v]! - aux);
      this.remotePump(v);
    }
  }

  /** The remote streaming sender fills its TCP window. */
  private remotePump(v: number): void {
    const S = this.S, w = this.workload(v);
    if (w.type !== 'tcp_stream_rx') return;
    const u = S.remUnacked, burst = this.burstBytes(w);
    while (u[v]! + burst <= w.windowBytes) {
      u[v] = u[v]! + burst;
      this.remoteSend(v, M_DATA, burst, w.segmentBytes, this.k.now);
    }
  }

  /** The remote client sends one request, leaving at time `at`. */
  private sendRequest(v: number, at: number): void {
    const S = this.S, w = this.workload(v);
    if (!isTransactional(w)) {
      // the phase changed under a closed loop: this transaction is not sent
      const inf = S.inflight;
      if (inf[v]! > 0) inf[v] = inf[v]! - 1;
      return;
    }
    let type = M_REQ, bytes = w.requestBytes;
    if (w.type === 'memcached' && this.rand() >= w.getRatio) { type = M_REQ_SET; bytes = w.valueBytes + w.keyBytes + 40; }
    this.remoteSend(v, type, bytes, at, at);
  }

  private openArrival(v: number): void {
    const S = this.S, w = this.workload(v);
    if (w.ratePerSec <= 0) return;
    S.inflight[v] = S.inflight[v]! + 1;
    this.sendRequest(v, this.k.now);
    this.k.schedule(this.evOpen, this.k.now + this.expCycles(w.ratePerSec), v, S.openGen[v]!, 0, 0);
  }

  // ---- side-core workers ----------------------------------------------------------------------------
  /** Updates the pending bit of device d's vq (dir 0 = TX, 1 = RX) at its worker, and arms a visit. */
  private refreshVq(d: number, dir: number): void {
    const S = this.S;
    const w = S.devWorker[d]!;
    if (w < 0) return;
    const q = (dir === 0 ? Q_TX : Q_RXH) * this.nVm + d;
    // the worker has committed its next visit to this queue and has not reached it yet: the visit reads
    // the ring at its own time, so it takes what is there then (re-price the batch)
    if (S.wkQ[w] === q && S.wkState[w] === WK_POLL && this.k.now <= this.visitTime(w)) {
      this.commitVisit(w, q);
      return;
    }
    let pending = S.qLen[q]! > 0 && !S.qBusy[q] && !S.devSusp[d];
    if (pending && dir === 1) {
      const i = this.qIdx(q, 0);
      const need = this.rxSlotsOf(S.qType[i]!, S.qBytes[i]!, S.qAux[i]!);
      if (S.rxSlots[d]! + need > this.costs.ringSize) { pending = false; S.rxWait[d] = 1; }
    }
    const pos = 2 * S.devPos[d]! + dir;
    const bits = S.wkBits, wi = w * this.words + (pos >>> 5), m = 1 << (pos & 31);
    if (!pending) { bits[wi] = bits[wi]! & ~m; return; }
    bits[wi] = (bits[wi]! | m) >>> 0;
    if (S.wkState[w] !== WK_POLL) return;
    // visit time of `pos` in the current polling run (iteration k polls position (P0 + k) mod nq)
    const nq = 2 * S.wkNDev[w]!, E = this.c.E, T0 = S.wkT0[w]!, P0 = S.wkP0[w]!;
    const k0 = Math.max(0, Math.ceil((this.k.now - T0) / E));
    const k = k0 + ((((pos - P0 - k0) % nq) + nq) % nq);
    if (k < S.wkNextK[w]!) this.armVisit(w, k, pos);
  }

  /**
   * Sets the next visit of worker w's polling run: iteration k, position pos (−1 = control work). A
   * visit to a queue is committed at once: its batch is priced and one event is scheduled at the end of
   * the visit (visit time + its cycles), instead of one event at the visit and one at its end. Until
   * the visit time, an arrival on the same queue re-prices the batch and an arrival on an earlier
   * position cancels the commitment (`refreshVq`), so the result is the same as visiting at that time.
   */
  private armVisit(w: number, k: number, pos: number): void {
    const S = this.S;
    this.uncommit(w);
    S.wkNextK[w] = k;
    S.wkNextPos[w] = pos;
    if (pos < 0) {
      const gen = S.wkGen[w]! + 1;
      S.wkGen[w] = gen;
      this.k.schedule(this.evWorker, this.visitTime(w), w, gen, 0, 0);
      return;
    }
    const dev = this.devAt(w, pos >> 1), dir = pos & 1;
    this.commitVisit(w, (dir === 0 ? Q_TX : Q_RXH) * this.nVm + dev);
  }

  /** Time of worker w's next visit. */
  private visitTime(w: number): number {
    return this.S.wkT0[w]! + this.S.wkNextK[w]! * this.c.E;
  }

  /** Prices worker w's visit to queue q with what the queue holds now, and schedules the visit's end. */
  private commitVisit(w: number, q: number): void {
    const S = this.S;
    const n = this.takeBudget(q);
    const gen = S.wkGen[w]! + 1;
    S.wkGen[w] = gen;
    S.wkQ[w] = q;
    S.wkN[w] = n;
    S.qBusy[q] = 1;
    const pos = 2 * S.devPos[q % this.nVm]! + (q >= Q_RXH * this.nVm ? 1 : 0);
    const bits = S.wkBits, wi = w * this.words + (pos >>> 5);
    bits[wi] = bits[wi]! & ~(1 << (pos & 31));
    this.k.schedule(this.evWorker, this.visitTime(w) + Math.max(1, Math.round(this.c.poll + this.batchCycles(q, n))), w, gen, 0, 0);
  }

  /** Drops worker w's committed (not yet started) visit; its queue is pending again. */
  private uncommit(w: number): void {
    const S = this.S;
    const q = S.wkQ[w]!;
    if (q < 0 || S.wkState[w] !== WK_POLL) return;
    S.wkQ[w] = -1;
    S.qBusy[q] = 0;
    const nV = this.nVm, d = q % nV, dir = q >= Q_RXH * nV ? 1 : 0;
    const pos = 2 * S.devPos[d]! + dir;
    const bits = S.wkBits, wi = w * this.words + (pos >>> 5);
    if (S.qLen[q]! > 0 && S.devWorker[d] === w) bits[wi] = (bits[wi]! | (1 << (pos & 31))) >>> 0;
  }

  /** Worker w starts a polling run at `now` from round-robin position p0. */
  private startPolling(w: number, p0: number): void {
    const S = this.S;
    this.uncommit(w);
    S.wkState[w] = WK_POLL;
    S.wkT0[w] = this.k.now;
    S.wkK[w] = 0;
    S.wkNextK[w] = Infinity;
    S.wkGen[w] = S.wkGen[w]! + 1;
    const nq = 2 * S.wkNDev[w]!;
    p0 = nq > 0 ? p0 % nq : 0;
    S.wkP0[w] = p0;
    if (S.wkCtl[w]! > 0) { this.armVisit(w, 0, -1); return; }
    if (nq === 0) return;
    // first pending position at or after p0 (cyclic), from the bitmap
    const pos = this.nextBit(w, p0, nq);
    if (pos >= 0) this.armVisit(w, (pos - p0 + nq) % nq, pos);
  }

  private nextBit(w: number, p0: number, nq: number): number {
    const bits = this.S.wkBits, base = w * this.words;
    const nw = Math.ceil(nq / 32);
    for (let pass = 0; pass < 2; pass++) {
      const from = pass === 0 ? p0 : 0, to = pass === 0 ? nq : p0;
      let wi = from >>> 5;
      let word = bits[base + wi]! & (~0 << (from & 31));
      for (;;) {
        if (word !== 0) {
          const p = (wi << 5) + (31 - Math.clz32(word & -word));
          return p < to ? p : -1;
        }
        if (++wi >= nw || wi << 5 >= to) break;
        word = bits[base + wi]!;
      }
    }
    return -1;
  }

  /** Accounts worker w up to now (poll runs: iterations so far; busy: work). */
  private syncWorker(w: number): void {
    const S = this.S;
    const wa = S.wkAcc;
    const el = this.k.now - wa[w]!;
    if (el <= 0) return;
    wa[w] = this.k.now;
    S.coreTot[w] = S.coreTot[w]! + el;
    const st = S.wkState[w]!;
    const aw = S.accWk;
    if (st === WK_BUSY) {
      this.addCat(CAT_IO_WORK, el);
      aw[w * 3 + 2] = aw[w * 3 + 2]! + el;
    } else {
      let pollEnd = this.k.now;
      if (st === WK_POLL && S.wkQ[w]! >= 0) {
        // a committed visit: polling until its time, work after it
        const tv = this.visitTime(w);
        if (tv < pollEnd) {
          const work = pollEnd - Math.max(tv, this.k.now - el);
          this.addCat(CAT_IO_WORK, work);
          aw[w * 3 + 2] = aw[w * 3 + 2]! + work;
          pollEnd = Math.max(tv, this.k.now - el);
        }
      }
      this.addCat(CAT_IO_POLL, pollEnd - (this.k.now - el));
      if (st === WK_POLL) {
        // iterations begun since the run started (each is one loop with one empty poll)
        let k = Math.floor((pollEnd - S.wkT0[w]!) / this.c.E);
        if (S.wkQ[w]! >= 0) k = Math.min(k, S.wkNextK[w]!);
        const d = k - S.wkK[w]!;
        if (d > 0) {
          aw[w * 3] = aw[w * 3]! + d; aw[w * 3 + 1] = aw[w * 3 + 1]! + d;
          S.wkK[w] = k;
        }
      }
    }
  }

  private workerEvent(w: number): void {
    const S = this.S;
    this.syncWorker(w);
    const st = S.wkState[w]!;
    const aw = S.accWk;
    if (st === WK_POLL) {
      // the visit: k empty iterations before it, then this one
      const k = S.wkNextK[w]!, pos = S.wkNextPos[w]!;
      const d = k - S.wkK[w]!;
      aw[w * 3] = aw[w * 3]! + d + 1; aw[w * 3 + 1] = aw[w * 3 + 1]! + d;
      if (pos < 0) { // control work (device transfer, worker creation)
        const cyc = Math.round(S.wkCtl[w]!);
        S.wkCtl[w] = 0;
        this.workerBusy(w, -1, 0, cyc);
        return;
      }
      void pos;
    }
    {
      // end of a committed visit (polling state) or of control work (busy state)
      S.wkState[w] = WK_BUSY; // finishing: arrivals only update the pending bits
      const q = S.wkQ[w]!;
      let next = 0;
      if (q >= 0) {
        const nV = this.nVm, dev = q % nV, tx = q < Q_RXH * nV;
        S.wkQ[w] = -1;
        S.qBusy[q] = 0; // the worker's own visit is over
        this.handled(q, S.wkN[w]!, tx);
        this.afterHandled(dev);
        next = S.devWorker[dev] === w ? 2 * S.devPos[dev]! + (tx ? 1 : 2) : 0;
      }
      this.startPolling(w, next);
    }
  }

  private workerBusy(w: number, q: number, n: number, cyc: number): void {
    const S = this.S;
    S.wkState[w] = WK_BUSY;
    S.wkQ[w] = q;
    S.wkN[w] = n;
    const gen = S.wkGen[w]! + 1;
    S.wkGen[w] = gen;
    this.k.schedule(this.evWorker, this.k.now + Math.max(1, Math.round(cyc)), w, gen, 0, 0);
  }

  /** The device at index i of worker w's device list (devices in id order). */
  private devAt(w: number, i: number): number {
    const S = this.S, dw = S.devWorker, dp = S.devPos;
    // devices are mapped round robin (d mod x), so index i of worker w is d = w + i·x when that holds
    const guess = w + i * S.curX;
    if (guess < this.nVm && dw[guess] === w && dp[guess] === i) return guess;
    for (let d = 0; d < this.nVm; d++) if (dw[d] === w && dp[d] === i) return d;
    throw new Error(`internal: worker ${w} has no device at ${i}`);
  }

  // ---- reconfiguration --------------------------------------------------------------------------
  /**
   * Sets the number of I/O cores (0 = baseline), with the costs of the real mechanisms: cores change
   * role at once (a vCPU running there is preempted and pays a migration), new workers pay their
   * creation, and every device whose worker changes is suspended while it is transferred, one device
   * after the other (`deviceMoveNs` each), with detach/attach control work on both workers.
   */
  setIoCores(x: number): void {
    if (!Number.isInteger(x) || x < 0 || x > this.maxIo) throw new RangeError(`ioCores must be an integer in [0, ${this.maxIo}], got ${x}`);
    if (x === this.S.curX) return;
    this.reconfigure(x, true);
  }

  private reconfigure(x: number, withCosts: boolean): void {
    const S = this.S, old = S.curX;
    const isIo = S.coreIsIo, coreThr = S.coreThr;
    // 1. cores change role
    for (let c = Math.min(old, x); c < Math.max(old, x); c++) {
      if (x > old) {
        this.syncCore(c, this.k.now);
        const t = coreThr[c]!;
        if (t >= 0) {
          S.coreGen[c] = S.coreGen[c]! + 1;
          coreThr[c] = -1;
          if (withCosts) S.thMig[t] = 1;
          this.rqPush(t);
        }
        S.coreTickGen[c] = S.coreTickGen[c]! + 1;
        S.coreTickArmed[c] = 0;
        isIo[c] = 1;
        S.wkAcc[c] = this.k.now;
        S.wkCtl[c] = withCosts ? this.c.wkCreate : 0;
        S.wkState[c] = WK_POLL;
      } else {
        this.syncWorker(c);
        const q = S.wkQ[c]!;
        if (q >= 0) { S.qBusy[q] = 0; S.wkQ[c] = -1; }
        S.wkState[c] = WK_OFF;
        S.wkGen[c] = S.wkGen[c]! + 1;
        isIo[c] = 0;
        coreThr[c] = -1;
        S.coreAcc[c] = this.k.now;
        S.coreRunFrom[c] = this.k.now;
      }
    }
    S.curX = x;
    // 2. devices: VM d → worker d mod x (or its own vhost thread at x = 0), moved one at a time
    const dw = S.devWorker;
    let moved = 0;
    const oldOwner = Int32Array.from(dw);
    for (let d = 0; d < this.nVm; d++) {
      const nw = x === 0 ? -1 : d % x;
      if (nw === dw[d]) continue;
      dw[d] = nw;
      if (withCosts) {
        moved++;
        S.devSusp[d] = 1;
        const gen = S.devGen[d]! + 1;
        S.devGen[d] = gen;
        this.k.schedule(this.evDevResume, this.k.now + moved * this.c.move, d, gen, 0, 0);
        const src = oldOwner[d]!;
        if (src >= 0 && src < x) S.wkCtl[src] = S.wkCtl[src]! + this.c.moveWork;
        if (nw >= 0) S.wkCtl[nw] = S.wkCtl[nw]! + this.c.moveWork;
      }
      // polling on in side-core mode (no kicks); notifications back on in the baseline
      S.txNotify[d] = nw >= 0 ? 0 : 1;
    }
    this.rebuildWorkers();
    // 3. restart the polling runs of the workers (their device lists changed)
    //    (a worker in the middle of a visit finishes it first and restarts at its end)
    for (let w = 0; w < x; w++) {
      if (S.wkState[w] !== WK_POLL) continue;
      if (S.wkQ[w]! >= 0 && this.k.now > this.visitTime(w)) continue;
      this.syncWorker(w);
      this.startPolling(w, 0);
    }
    // 4. baseline devices with pending work wake their vhost threads
    for (let d = 0; d < this.nVm; d++) if (dw[d]! < 0 && !S.devSusp[d]) this.wake(this.nVcpu + d);
    // 5. freed VM cores run queued threads
    for (let c = x; c < this.nCores; c++) if (coreThr[c] === -1 && S.rqN > 0) { this.syncCore(c, this.k.now); this.dispatchNext(c, true); }
    if (S.rqN > 0) this.armTicks();
  }

  /** Recomputes each worker's device list positions and pending bits from `devWorker`. */
  private rebuildWorkers(): void {
    const S = this.S, dw = S.devWorker;
    const nd = S.wkNDev;
    nd.fill(0);
    S.wkBits.fill(0);
    for (let d = 0; d < this.nVm; d++) {
      const w = dw[d]!;
      if (w < 0) continue;
      S.devPos[d] = nd[w]!;
      nd[w] = nd[w]! + 1;
    }
    for (let d = 0; d < this.nVm; d++) if (dw[d]! >= 0) {
      const save = S.wkState[dw[d]!]!;
      S.wkState[dw[d]!] = WK_OFF; // bits only; visits are armed by startPolling
      this.refreshVq(d, 0); this.refreshVq(d, 1);
      S.wkState[dw[d]!] = save;
    }
  }

  private devResume(d: number): void {
    const S = this.S;
    S.devSusp[d] = 0;
    if (S.devWorker[d]! >= 0) { this.refreshVq(d, 0); this.refreshVq(d, 1); }
    else this.wake(this.nVcpu + d);
  }

  // ---- reading ----------------------------------------------------------------------------------
  /** Accounts every core up to now. */
  private syncAll(): void {
    const S = this.S;
    for (let c = 0; c < this.nCores; c++) {
      if (S.coreIsIo[c]) this.syncWorker(c);
      else this.syncCore(c, this.k.now);
    }
  }

  /** Counters and metrics since the last `readEpoch` (deltas), and the current phase. */
  readEpoch(): EpochReading {
    const S = this.S;
    this.syncAll();
    const cyc = this.k.now - S.lastRead;
    const acc = S.acc;
    acc[A_CYC] = cyc;
    const r = this.reading(acc, S.accVm, S.accIdle, S.accWk, S.hist, cyc);
    // fold into the whole-run totals, then reset
    for (const [e, t] of [['acc', 'tot'], ['accVm', 'totVm'], ['accIdle', 'totIdle'], ['accWk', 'totWk'], ['hist', 'totHist']] as const) {
      const ea = S[e], ta = S[t];
      for (let i = 0; i < ea.length; i++) ta[i] = ta[i]! + ea[i]!;
      ea.fill(0);
    }
    S.lastRead = this.k.now;
    return r;
  }

  /** Forgets the whole-run totals (e.g. after a warm-up); `readTotals` then starts from the last read. */
  resetTotals(): void {
    const S = this.S;
    for (const k of ['tot', 'totVm', 'totIdle', 'totWk', 'totHist'] as const) S[k].fill(0);
    S.totFrom = S.lastRead;
  }

  /** Counters and metrics over every epoch read so far (the whole run), as one window. */
  readTotals(): EpochReading {
    const S = this.S;
    const cyc = S.lastRead - S.totFrom;
    return this.reading(S.tot, S.totVm, S.totIdle, S.totWk, S.totHist, cyc);
  }

  private reading(acc: Float64Array, va: Float64Array, idle: Float64Array, wk: Float64Array, hist: Float64Array, cyc: number): EpochReading {
    const S = this.S, g = this.ghz, x = S.curX;
    const secs = cyc / (g * 1e9) || 1e-300;
    const ns = cyc / g;
    const nW = x;
    const counters: EpochCounters = {
      tscCycles: cyc,
      workerWorkCycles: acc[A_WK]! + (x > 0 ? sumRange(wk, nW, 2) : 0),
      vqBytes: acc[A_HB]!,
      handledBytes: acc[A_HB]!,
      handledPackets: acc[A_HP]!,
      vhostCpuNs: acc[A_VHOSTCPU]! / g + (acc[A_CAT + CAT_IO_WORK]! + acc[A_CAT + CAT_IO_POLL]!) / g,
      wallNs: ns,
      vmCoreIdleNs: Array.from(idle.subarray(x), (v) => v / g),
      workerThreads: x > 0 ? x : this.nVm,
      ioCores: x,
      workerLoops: Array.from({ length: nW }, (_, w) => wk[w * 3]!),
      workerEmptyPolls: Array.from({ length: nW }, (_, w) => wk[w * 3 + 1]!),
      workerWorkCyclesEach: Array.from({ length: nW }, (_, w) => wk[w * 3 + 2]!),
    };
    const txn = acc[A_TXN]!;
    const exits = { io_kick: acc[A_EX_KICK]! / secs, irq_injection: acc[A_EX_INJ]! / secs, eoi: acc[A_EX_EOI]! / secs, hlt: acc[A_EX_HLT]! / secs };
    const cat = (k: number) => acc[A_CAT + k]! / cyc;
    const metrics: EpochMetrics & { guestComputeCores: number; cycles: Record<string, number> } = {
      throughputGbps: (acc[A_GOOD]! * 8) / secs / 1e9,
      transactionsPerSec: txn / secs,
      latencyUs: txn > 0
        ? { mean: acc[A_LATSUM]! / txn / 1000, p50: histQuantile(hist, txn, 0.5) / 1000, p99: histQuantile(hist, txn, 0.99) / 1000 }
        : { mean: NaN, p50: NaN, p99: NaN },
      exitsPerSec: exits.io_kick + exits.irq_injection + exits.eoi + exits.hlt,
      exitsByReason: exits,
      interruptsPerSec: acc[A_IRQ]! / secs,
      contextSwitchesPerSec: acc[A_CSW]! / secs,
      cpu: {
        vm: cat(CAT_VM_GUEST) + cat(CAT_VM_EXIT) + cat(CAT_VM_CTX),
        io: cat(CAT_IO_VHOST) + cat(CAT_IO_CTX) + cat(CAT_IO_WORK) + cat(CAT_IO_POLL),
        idle: cat(CAT_IDLE),
      },
      perVm: Array.from({ length: this.nVm }, (_, v) => ({
        throughputGbps: (va[v * NVA + VA_GOOD]! * 8) / secs / 1e9,
        transactionsPerSec: va[v * NVA + VA_TXN]! / secs,
        latencyUsMean: va[v * NVA + VA_TXN]! > 0 ? va[v * NVA + VA_LAT]! / va[v * NVA + VA_TXN]! / 1000 : NaN,
        guestComputeCores: va[v * NVA + VA_COMPUTE]! / cyc,
      })),
      guestComputeCores: acc[A_COMPUTE]! / cyc,
      cycles: Object.fromEntries(CYCLE_CATEGORIES.map((n, i) => [n, acc[A_CAT + i]!])),
    };
    return { counters, metrics, phase: S.phase };
  }

  // ---- checks (tests, docs) ---------------------------------------------------------------------
  /** Cycle accounts since the start: per category, and per core (each must equal elapsed cycles). */
  cycleAccounts(): { elapsed: number; perCore: number[]; byCategory: Record<string, number> } {
    const S = this.S;
    this.syncAll();
    const tot = Float64Array.from(S.tot);
    const acc = S.acc;
    const byCategory: Record<string, number> = {};
    CYCLE_CATEGORIES.forEach((n, i) => { byCategory[n] = tot[A_CAT + i]! + acc[A_CAT + i]!; });
    return { elapsed: this.k.now, perCore: Array.from(S.coreTot), byCategory };
  }

  /** Bytes sent into the system by either end, bytes consumed, and bytes in queues or on the wire. */
  byteAccounts(): { sent: number; received: number; inQueues: number; onWire: number } {
    const S = this.S;
    let inQueues = 0;
    for (const v of S.qSum) inQueues += v;
    let onWire = 0;
    const addBytes = (_v: number, _type: number, bytes: number) => { onWire += bytes; };
    this.k.forEachPending(this.evHostRx, addBytes);
    this.k.forEachPending(this.evRemoteRx, addBytes);
    return { sent: S.sent, received: S.recv, inQueues, onWire };
  }

  // ---- snapshots --------------------------------------------------------------------------------
  getState(): SimState {
    const data: SimStateData = {};
    for (const [k, v] of Object.entries(this.S as unknown as SimStateData)) data[k] = typeof v === 'number' ? v : v.slice();
    return { kind: 'iocm-hostsim', scenario: this.scenario.name, data, kernel: this.k.getState() };
  }

  setState(s: SimState): void {
    if (!s || s.kind !== 'iocm-hostsim' || s.scenario !== this.scenario.name) throw new Error('setState: not a state of this simulator\'s scenario');
    // copy into the live state object (same keys, same hidden class: no slow dictionary-mode object)
    const live = this.S as unknown as SimStateData;
    const keys = Object.keys(live);
    if (keys.length !== Object.keys(s.data).length || keys.some((k) => !(k in s.data))) throw new Error('setState: state layout differs');
    for (const k of keys) {
      const v = s.data[k]!;
      live[k] = typeof v === 'number' ? v : v.slice();
    }
    this.k.setState(s.kernel);
  }
}

function sumRange(a: Float64Array, n: number, off: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i * 3 + off]!;
  return s;
}

/** Quantile q of a log-binned histogram of n samples (geometric bin centre), ns. */
function histQuantile(h: Float64Array, n: number, q: number): number {
  const target = q * n;
  let cum = 0;
  for (let b = 0; b < h.length; b++) {
    cum += h[b]!;
    if (cum >= target) return H_BASE_NS * Math.pow(H_RATIO, b + 0.5);
  }
  return H_BASE_NS * Math.pow(H_RATIO, h.length);
}

function isScenario(x: unknown): x is Scenario {
  return typeof x === 'object' && x !== null && Array.isArray((x as Scenario).phases) && (x as Scenario).phases.every((p) => Array.isArray(p.workloads));
}
