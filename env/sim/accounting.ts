/**
 * Accounting: where every cycle of every core goes (by owner, `CYCLE_CATEGORIES`), the counters the
 * IOcm manager reads, the application results (goodput, transactions, latency histogram), and the
 * epoch reading built from them (`readEpoch`, `readTotals`). A VM core is accounted lazily up to a time
 * (`syncCore`): its idle gap, then its thread's context-switch, exit and main work in that order.
 */
import * as layout from './state.js';
import { buildReading } from '../epoch-reading.js';
import type { HostReading } from '../host-model.js';
import { SimBase } from './base.js';
import { kickToService } from './kick-service.js';

// Copied into module constants: the hot paths must not go through module-namespace accessors (some
// loaders, tsx among them, compile ESM imports to getters).
const { A_CAT, H_BASE_NS, H_RATIO, A_COMPUTE, A_CSW, A_CYC, A_EX_EOI, A_EX_HLT, A_EX_INJ, A_EX_KICK, A_GOOD, A_HB, A_HP, A_IRQ, A_LATSUM, A_TXN, A_VHOSTCPU, A_WK, CAT_IDLE, CAT_IO_CTX, CAT_IO_POLL, CAT_IO_VHOST, CAT_IO_WORK, CAT_VM_CTX, CAT_VM_EXIT, CAT_VM_GUEST, CH_BG, CYCLE_CATEGORIES, NVA, VA_COMPUTE, VA_CPU, VA_EX, VA_GOOD, VA_LAT, VA_TXN } = layout;

export abstract class Accounting extends SimBase {
  /** 0..nVm−1, for the host-wide kick-to-service. */
  private readonly allVms: readonly number[] = Array.from({ length: this.nVm }, (_, v) => v);

  // from the mechanisms above this one
  protected abstract syncWorker(w: number): void;

  protected addCat(cat: number, cyc: number): void {
    const acc = this.S.acc;
    acc[A_CAT + cat] = acc[A_CAT + cat]! + cyc;
  }

  protected count(slot: number): void {
    const acc = this.S.acc;
    acc[slot] = acc[slot]! + 1;
  }

  /** One exit of VM v (slot A_EX_KICK … A_EX_HLT): host-wide and per VM. */
  protected countExit(slot: number, v: number): void {
    const acc = this.S.acc, va = this.S.accVm, i = v * NVA + VA_EX + slot - A_EX_KICK;
    acc[slot] = acc[slot]! + 1;
    va[i] = va[i]! + 1;
  }

  protected consumed(bytes: number): void { this.S.recv += bytes; }

  protected sentBytes(bytes: number): void { this.S.sent += bytes; }

  protected goodput(v: number, bytes: number): void {
    const S = this.S, acc = S.acc, va = S.accVm;
    acc[A_GOOD] = acc[A_GOOD]! + bytes;
    va[v * NVA + VA_GOOD] = va[v * NVA + VA_GOOD]! + bytes;
  }

  /** Accounts core c (a VM core) up to time T. */
  protected syncCore(c: number, T: number): void {
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
  protected progress(t: number, cyc: number): void {
    if (cyc <= 0) return;
    const S = this.S;
    const isVcpu = t < this.nVcpu;
    const acc = S.acc;
    S.thVr[t] = S.thVr[t]! + cyc;
    if (isVcpu) { const va = S.accVm, i = this.vcpuVm[t]! * NVA + VA_CPU; va[i] = va[i]! + cyc; }
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

  /** Accounts every core up to now. */
  protected syncAll(): void {
    const S = this.S;
    for (let c = 0; c < this.nCores; c++) {
      if (S.coreIsIo[c]) this.syncWorker(c);
      else this.syncCore(c, this.k.now);
    }
  }

  /** Counters and metrics since the last `readEpoch` (deltas), and the current phase. */
  readEpoch(): HostReading {
    const S = this.S;
    this.syncAll();
    const cyc = this.k.now - S.lastRead;
    const acc = S.acc;
    acc[A_CYC] = cyc;
    const r = this.reading(acc, S.accVm, S.accIdle, S.accWk, S.hist, cyc, S.ksAcc, S.ksHist);
    // fold into the whole-run totals, then reset
    for (const [e, t] of [['acc', 'tot'], ['accVm', 'totVm'], ['accIdle', 'totIdle'], ['accWk', 'totWk'], ['hist', 'totHist'], ['ksAcc', 'ksTot'], ['ksHist', 'ksTotHist']] as const) {
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
    for (const k of ['tot', 'totVm', 'totIdle', 'totWk', 'totHist', 'ksTot', 'ksTotHist'] as const) S[k].fill(0);
    S.totFrom = S.lastRead;
  }

  /** Counters and metrics over every epoch read so far (the whole run), as one window. */
  readTotals(): HostReading {
    const S = this.S;
    const cyc = S.lastRead - S.totFrom;
    return this.reading(S.tot, S.totVm, S.totIdle, S.totWk, S.totHist, cyc, S.ksTot, S.ksTotHist);
  }

  protected reading(acc: Float64Array, va: Float64Array, idle: Float64Array, wk: Float64Array, hist: Float64Array, cyc: number, ks: Float64Array, ksHist: Uint32Array): HostReading {
    const S = this.S, g = this.ghz, x = S.curX;
    const txn = acc[A_TXN]!;
    const { counters, metrics } = buildReading({
      cycles: cyc, ns: cyc / g, ghz: g, ioCores: x, nVm: this.nVm,
      goodBytes: acc[A_GOOD]!, transactions: txn, latencySumNs: acc[A_LATSUM]!,
      latencyP50Us: txn > 0 ? histQuantile(hist, txn, 0.5) / 1000 : NaN,
      latencyP99Us: txn > 0 ? histQuantile(hist, txn, 0.99) / 1000 : NaN,
      kicks: acc[A_EX_KICK]!, injections: acc[A_EX_INJ]!, eois: acc[A_EX_EOI]!, hlts: acc[A_EX_HLT]!,
      interrupts: acc[A_IRQ]!, contextSwitches: acc[A_CSW]!, computeCycles: acc[A_COMPUTE]!,
      cycleSplit: {
        vmGuest: acc[A_CAT + CAT_VM_GUEST]!, vmExit: acc[A_CAT + CAT_VM_EXIT]!, vmContextSwitch: acc[A_CAT + CAT_VM_CTX]!,
        ioVhost: acc[A_CAT + CAT_IO_VHOST]!, ioContextSwitch: acc[A_CAT + CAT_IO_CTX]!, ioWorkerWork: acc[A_CAT + CAT_IO_WORK]!,
        ioWorkerPoll: acc[A_CAT + CAT_IO_POLL]!, idle: acc[A_CAT + CAT_IDLE]!,
      },
      handledBytes: acc[A_HB]!, handledPackets: acc[A_HP]!,
      vmCoreIdleNs: Array.from(idle.subarray(x), (v) => v / g),
      workerLoops: Array.from({ length: x }, (_, w) => wk[w * 3]!),
      workerEmptyPolls: Array.from({ length: x }, (_, w) => wk[w * 3 + 1]!),
      workerWorkCyclesEach: Array.from({ length: x }, (_, w) => wk[w * 3 + 2]!),
      perVm: {
        data: va, base: 0, stride: NVA, good: VA_GOOD, txn: VA_TXN, latSum: VA_LAT, compute: VA_COMPUTE, cpu: VA_CPU,
        kick: VA_EX, inj: VA_EX + 1, eoi: VA_EX + 2, hlt: VA_EX + 3,
      },
      allVms: this.allVms,
      kickToService: (vms, secs) => kickToService(ks, ksHist, vms, secs),
    });
    return { counters, metrics, phase: S.phase };
  }

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
