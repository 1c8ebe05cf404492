/**
 * The side-core workers (x > 0): each polls the virtqueues of its devices round robin. Runs of empty
 * polls are computed in closed form from the round-robin position of every queue; a visit to a queue
 * with work is committed (priced and scheduled at its end) and re-priced or cancelled by arrivals
 * before its time. Control work (worker creation, device transfers) runs as a busy period.
 */
import * as layout from './state.js';
import { Vhost } from './vhost.js';

// Copied into module constants: the hot paths must not go through module-namespace accessors (some
// loaders, tsx among them, compile ESM imports to getters).
const { CAT_IO_POLL, CAT_IO_WORK, Q_RXH, Q_TX, WK_BUSY, WK_POLL } = layout;

export abstract class SideCoreWorkers extends Vhost {
  protected readonly evWorker: number;

  constructor(...args: ConstructorParameters<typeof Vhost>) {
    super(...args);
    const kernel = this.k;
    this.evWorker = kernel.on('worker', (w, gen) => { if (this.S.wkGen[w] === gen) this.workerEvent(w); });
  }

  /** Updates the pending bit of device d's vq (dir 0 = TX, 1 = RX) at its worker, and arms a visit. */
  protected override refreshVq(d: number, dir: number): void {
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
  protected armVisit(w: number, k: number, pos: number): void {
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
  protected visitTime(w: number): number {
    return this.S.wkT0[w]! + this.S.wkNextK[w]! * this.c.E;
  }

  /** Prices worker w's visit to queue q with what the queue holds now, and schedules the visit's end. */
  protected commitVisit(w: number, q: number): void {
    const S = this.S;
    const n = this.takeBudget(q);
    const gen = S.wkGen[w]! + 1;
    S.wkGen[w] = gen;
    S.wkQ[w] = q;
    S.wkN[w] = n;
    S.qBusy[q] = 1;
    const pos = 2 * S.devPos[this.qVm[q]!]! + (q >= Q_RXH * this.nVm ? 1 : 0);
    const bits = S.wkBits, wi = w * this.words + (pos >>> 5);
    bits[wi] = bits[wi]! & ~(1 << (pos & 31));
    this.k.schedule(this.evWorker, this.visitTime(w) + Math.max(1, Math.round(this.c.poll + this.batchCycles(q, n))), w, gen, 0, 0);
  }

  /** Drops worker w's committed (not yet started) visit; its queue is pending again. */
  protected uncommit(w: number): void {
    const S = this.S;
    const q = S.wkQ[w]!;
    if (q < 0 || S.wkState[w] !== WK_POLL) return;
    S.wkQ[w] = -1;
    S.qBusy[q] = 0;
    const nV = this.nVm, d = this.qVm[q]!, dir = q >= Q_RXH * nV ? 1 : 0;
    const pos = 2 * S.devPos[d]! + dir;
    const bits = S.wkBits, wi = w * this.words + (pos >>> 5);
    if (S.qLen[q]! > 0 && S.devWorker[d] === w) bits[wi] = (bits[wi]! | (1 << (pos & 31))) >>> 0;
  }

  /** Worker w starts a polling run at `now` from round-robin position p0. */
  protected startPolling(w: number, p0: number): void {
    const S = this.S;
    this.uncommit(w);
    S.wkState[w] = WK_POLL;
    S.wkT0[w] = this.k.now;
    S.wkK[w] = 0;
    S.wkNextK[w] = Infinity;
    S.wkGen[w] = S.wkGen[w]! + 1;
    const nq = 2 * S.wkNDev[w]!;
    p0 = nq > 0 ? (p0 < nq ? p0 : p0 % nq) : 0;
    S.wkP0[w] = p0;
    if (S.wkCtl[w]! > 0) { this.armVisit(w, 0, -1); return; }
    if (nq === 0) return;
    // first pending position at or after p0 (cyclic), from the bitmap
    const pos = this.nextBit(w, p0, nq);
    if (pos >= 0) this.armVisit(w, pos >= p0 ? pos - p0 : pos - p0 + nq, pos); // (pos − p0) mod nq, both in [0, nq)
  }

  protected nextBit(w: number, p0: number, nq: number): number {
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
  protected override syncWorker(w: number): void {
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

  protected workerEvent(w: number): void {
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
        const nV = this.nVm, dev = this.qVm[q]!, tx = q < Q_RXH * nV;
        S.wkQ[w] = -1;
        S.qBusy[q] = 0; // the worker's own visit is over
        // kick-to-service: the visit's poll found these messages at the visit time
        if (tx && st === WK_POLL) this.serviceStarts(q, S.wkN[w]!, this.visitTime(w));
        this.handled(q, S.wkN[w]!, tx);
        this.afterHandled(dev);
        next = S.devWorker[dev] === w ? 2 * S.devPos[dev]! + (tx ? 1 : 2) : 0;
      }
      this.startPolling(w, next);
    }
  }

  protected workerBusy(w: number, q: number, n: number, cyc: number): void {
    const S = this.S;
    S.wkState[w] = WK_BUSY;
    S.wkQ[w] = q;
    S.wkN[w] = n;
    const gen = S.wkGen[w]! + 1;
    S.wkGen[w] = gen;
    this.k.schedule(this.evWorker, this.k.now + Math.max(1, Math.round(cyc)), w, gen, 0, 0);
  }

  /** The device at index i of worker w's device list (devices in id order). */
  protected devAt(w: number, i: number): number {
    const S = this.S, dw = S.devWorker, dp = S.devPos;
    // devices are mapped round robin (d mod x), so index i of worker w is d = w + i·x when that holds
    const guess = w + i * S.curX;
    if (guess < this.nVm && dw[guess] === w && dp[guess] === i) return guess;
    for (let d = 0; d < this.nVm; d++) if (dw[d] === w && dp[d] === i) return d;
    throw new Error(`internal: worker ${w} has no device at ${i}`);
  }
}
