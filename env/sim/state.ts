/**
 * The layout of the detailed simulator's state: the enumerations every mechanism shares (cycle owners,
 * message types, queue kinds, thread and worker states, accumulator slots) and `makeState`, which
 * builds the one object that holds all mutable state. It is typed arrays and numbers only, so
 * `getState` copies it field by field and a restored simulator has a bit-identical future.
 */
import { Rng } from '../core/rng.js';
import { CYCLE_CATEGORIES } from '../host-model.js';
import type { Workload } from './scenario.js';
import { sfc32Seed } from './sfc32.js';
import { KS_BINS, NKS } from './kick-service.js';

export { CYCLE_CATEGORIES };

// ---- enumerations -------------------------------------------------------------------------------
/** Cycle owners. */
export const CAT_VM_GUEST = 0, CAT_VM_EXIT = 1, CAT_VM_CTX = 2, CAT_IO_VHOST = 3, CAT_IO_CTX = 4, CAT_IO_WORK = 5, CAT_IO_POLL = 6, CAT_IDLE = 7;
export const NCAT = 8;

/** Message types. */
export const M_REQ = 1, M_REQ_SET = 2, M_RESP = 3, M_DATA = 4, M_ACK = 5 /* remote → VM, acks VM's data */, M_ACKR = 6 /* VM → remote */;

/** Queue kinds (queue id = kind * nVm + vm). */
export const Q_TX = 0, Q_RXH = 1, Q_RING = 2, Q_APP = 3;

/** Thread chunk kinds. */
export const CH_NONE = 0, CH_NAPI = 1, CH_APP = 2, CH_STREAM = 3, CH_BG = 4, CH_VHOST = 6;
/** A vCPU of a guest booted with idle=poll spinning in its idle loop (no work, no HLT exit). */
export const CH_IDLEPOLL = 5;

/** Thread states. */
export const TH_SLEEP = 0, TH_QUEUED = 1, TH_RUN = 2;
/** Worker states. */
export const WK_OFF = 0, WK_POLL = 1, WK_BUSY = 2;

/** Epoch accumulator slots. */
export const A_GOOD = 0, A_TXN = 1, A_LATSUM = 2, A_EX_KICK = 3, A_EX_INJ = 4, A_EX_EOI = 5, A_EX_HLT = 6, A_IRQ = 7, A_CSW = 8,
  A_CAT = 9, A_COMPUTE = A_CAT + NCAT, A_WK = A_COMPUTE + 1, A_HB = A_WK + 1, A_HP = A_HB + 1, A_VHOSTCPU = A_HP + 1,
  A_CYC = A_VHOSTCPU + 1, A_DROP = A_CYC + 1, NACC = A_DROP + 1;
/** Per VM: goodput, transactions, latency sum, compute cycles; exits by reason (VA_EX + A_EX_* − A_EX_KICK); cycles its vCPUs ran. */
export const VA_GOOD = 0, VA_TXN = 1, VA_LAT = 2, VA_COMPUTE = 3, VA_EX = 4, VA_CPU = 8, NVA = 9;

/** Latency histogram: log bins of 2 % from 100 ns. */
export const H_BASE_NS = 100, H_RATIO = 1.02, H_BINS = 1100;

/** A transactional workload: a closed loop of requests in flight, or an open-loop request rate. */
export function isTransactional(w: Workload): boolean {
  return w.outstanding > 0 || w.ratePerSec > 0;
}

/** The sizes the state arrays are built for. */
export interface StateDims {
  nCores: number;
  nThreads: number;
  nVm: number;
  maxIo: number;
  seed: number;
  /** 32-bit words of a worker's pending-queue bitmap. */
  words: number;
}

/** The whole mutable state of a simulator (the kernel's events apart). */
export function makeState(d: StateDims) {
  const nC = d.nCores, nT = d.nThreads, nV = d.nVm, nW = Math.max(1, d.maxIo), cap = 64;
  return {
    // scalars
    target: 0, curX: 0, phase: 0, minVr: 0, rqN: 0, qCap: cap, sent: 0, recv: 0, lastRead: 0,
    nicTx: new Float64Array(2), nicRx: new Float64Array(2),
    // rng (sfc32)
    rng: sfc32Seed(Rng.fromSeed(d.seed)),
    // cores
    coreThr: new Int32Array(nC).fill(-1), coreLast: new Int32Array(nC).fill(-1), coreGen: new Int32Array(nC),
    coreAcc: new Float64Array(nC), coreRunFrom: new Float64Array(nC), coreTickGen: new Int32Array(nC), coreTickArmed: new Uint8Array(nC),
    coreTot: new Float64Array(nC), coreIsIo: new Uint8Array(nC),
    // idle states (cstates.ts): when the core went idle / was woken, running averages of its idle and busy
    // periods (cycles), and the exit latency (cycles) of the state it entered
    coreIdleFrom: new Float64Array(nC), coreWakeAt: new Float64Array(nC), coreIdleAvg: new Float64Array(nC),
    coreBusyAvg: new Float64Array(nC), coreExitLat: new Float64Array(nC),
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
    // when each queued message was posted (cycles): the start of its kick-to-service wait (kick-service.ts)
    qTime: new Float64Array(4 * nV * cap),
    // workers
    wkState: new Uint8Array(nW), wkT0: new Float64Array(nW), wkP0: new Int32Array(nW), wkK: new Float64Array(nW),
    wkNextK: new Float64Array(nW), wkNextPos: new Int32Array(nW), wkGen: new Int32Array(nW), wkCtl: new Float64Array(nW),
    wkQ: new Int32Array(nW).fill(-1), wkN: new Int32Array(nW), wkAcc: new Float64Array(nW), wkNDev: new Int32Array(nW),
    wkBits: new Uint32Array(nW * d.words),
    // accumulators (epoch and whole-run)
    acc: new Float64Array(NACC), accVm: new Float64Array(nV * NVA), accIdle: new Float64Array(nC), accWk: new Float64Array(nW * 3),
    hist: new Float64Array(H_BINS),
    tot: new Float64Array(NACC), totVm: new Float64Array(nV * NVA), totIdle: new Float64Array(nC), totWk: new Float64Array(nW * 3),
    totHist: new Float64Array(H_BINS), totFrom: 0,
    // kick-to-service per VM (kick-service.ts): Σ wait and samples, and its histogram; epoch and whole run
    ksAcc: new Float64Array(nV * NKS), ksHist: new Uint32Array(nV * KS_BINS), ksTot: new Float64Array(nV * NKS), ksTotHist: new Uint32Array(nV * KS_BINS),
    // reconfiguration costs (reconfig.ts): cycles owed by the next thread run on a VM core (manager
    // samples, moved NIC interrupts), and the window's changes, Σ device suspension (ns), manager CPU (ns)
    coreDebt: new Float64Array(nC), rcN: 0, rcStall: 0, rcMgr: 0,
  };
}

export type SimStateData = ReturnType<typeof makeState>;
