/**
 * The message queues of each VM (queue id = kind · nVm + vm): the guest's TX ring, the host-side RX
 * queue (tap socket), the guest's RX ring and the guest application's request queue; ring-slot use of
 * a message (descriptors per packet, mergeable RX buffers) and its packet count.
 */
import * as layout from './state.js';
import { Accounting } from './accounting.js';
import { KS_BINS, KS_N, KS_SUM, NKS, ksBin } from './kick-service.js';

// Copied into module constants: the hot paths must not go through module-namespace accessors (some
// loaders, tsx among them, compile ESM imports to getters).
const { M_ACK, M_ACKR, M_DATA, Q_TX } = layout;

export abstract class Virtqueues extends Accounting {
  protected qPush(q: number, type: number, bytes: number, aux: number): void {
    const S = this.S;
    const len = S.qLen[q]!;
    if (len === S.qCap) this.growQueues();
    const cap = S.qCap;
    let j = S.qHead[q]! + len;
    if (j >= cap) j -= cap;
    const i = q * cap + j;
    S.qType[i] = type; S.qBytes[i] = bytes; S.qAux[i] = aux; S.qTime[i] = this.k.now;
    S.qLen[q] = len + 1;
    S.qSum[q] = S.qSum[q]! + bytes;
  }

  protected growQueues(): void {
    const S = this.S, cap = S.qCap, nq = 4 * this.nVm, ncap = cap * 2;
    const t = new Uint8Array(nq * ncap), b = new Float64Array(nq * ncap), a = new Float64Array(nq * ncap), tm = new Float64Array(nq * ncap);
    const head = S.qHead, len = S.qLen;
    for (let q = 0; q < nq; q++) {
      for (let j = 0; j < len[q]!; j++) {
        const src = q * cap + ((head[q]! + j) % cap), dst = q * ncap + j;
        t[dst] = S.qType[src]!; b[dst] = S.qBytes[src]!; a[dst] = S.qAux[src]!; tm[dst] = S.qTime[src]!;
      }
      head[q] = 0;
    }
    S.qType = t; S.qBytes = b; S.qAux = a; S.qTime = tm; S.qCap = ncap;
  }

  /** Index of the j-th element of queue q. */
  protected qIdx(q: number, j: number): number {
    const cap = this.S.qCap;
    let k = this.S.qHead[q]! + j; // j < cap
    if (k >= cap) k -= cap;
    return q * cap + k;
  }

  protected qPop(q: number): number {
    const S = this.S, cap = S.qCap;
    const h = S.qHead[q]!;
    const i = q * cap + h;
    S.qHead[q] = h + 1 === cap ? 0 : h + 1;
    S.qLen[q] = S.qLen[q]! - 1;
    S.qSum[q] = S.qSum[q]! - S.qBytes[i]!;
    return i;
  }

  /**
   * Kick-to-service (kick-service.ts): the first n messages of TX queue q start being serviced at
   * `start` (cycles); each waited since it was posted.
   */
  protected serviceStarts(q: number, n: number, start: number): void {
    const S = this.S, v = this.qVm[q]!, acc = S.ksAcc, hist = S.ksHist, g = this.ghz;
    for (let j = 0; j < n; j++) {
      const ns = (start - S.qTime[this.qIdx(q, j)]!) / g;
      acc[v * NKS + KS_SUM] = acc[v * NKS + KS_SUM]! + ns;
      acc[v * NKS + KS_N] = acc[v * NKS + KS_N]! + 1;
      const b = v * KS_BINS + ksBin(ns);
      hist[b] = hist[b]! + 1;
    }
  }

  /** Descriptors a message takes in the TX ring (one chain per packet, indirect descriptors). */
  protected txSlotsOf(type: number, bytes: number, aux: number): number {
    return this.pkts(type, bytes, aux);
  }

  /** Buffers a message takes in the RX ring (mergeable buffers of rxBufferBytes, ≥ one per packet). */
  protected rxSlotsOf(type: number, bytes: number, aux: number): number {
    const p = this.pkts(type, bytes, aux);
    // p ≥ 1 buffer always: only a message over one buffer can need more (and the division is not free)
    return bytes <= this.costs.rxBufferBytes ? p : Math.max(p, Math.ceil(bytes / this.costs.rxBufferBytes));
  }

  /** The guest adds a message to VM v's TX ring. */
  protected txPush(v: number, type: number, bytes: number, aux: number): void {
    this.qPush(Q_TX * this.nVm + v, type, bytes, aux);
    const ts = this.S.txSlots;
    ts[v] = ts[v]! + this.txSlotsOf(type, bytes, aux);
  }

  /** Packets (segments inside the host) of a message. */
  protected pkts(type: number, bytes: number, aux: number): number {
    if (type === M_ACK || type === M_ACKR) return Math.max(1, Math.round(bytes / this.costs.ackBytes));
    if (type === M_DATA) return Math.max(1, Math.ceil(bytes / aux)); // aux = segment size of the burst
    return bytes <= this.costs.tsoBytes ? 1 : Math.ceil(bytes / this.costs.tsoBytes);
  }
}
