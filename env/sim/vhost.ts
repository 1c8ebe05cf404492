/**
 * The baseline vhost thread of a device (x = 0): woken by a kick or by packets on its tap socket, it
 * handles TX and RX up to the per-run byte budget, and re-enables notifications when it finds nothing.
 * The handler work itself (`takeBudget`, `batchCycles`, `handled`) is shared with the side-core workers.
 */
import * as layout from './state.js';
import { Guest } from './guest.js';
import { chainHeaderBytes } from './ring-bytes.js';

// Copied into module constants: the hot paths must not go through module-namespace accessors (some
// loaders, tsx among them, compile ESM imports to getters).
const { A_HB, A_HP, CH_VHOST, M_ACK, M_ACKR, Q_RING, Q_RXH, Q_TX } = layout;

export abstract class Vhost extends Guest {
  /** Bytes vhost counts per chain on top of the payload (ring-bytes.ts): TCP, UDP, and a pure ACK frame. */
  private readonly hdrTcp = chainHeaderBytes(this.costs, false);
  private readonly hdrUdp = chainHeaderBytes(this.costs, true);
  private readonly hdrAck = this.costs.vnetHdrBytes;

  // from the mechanisms above this one
  protected abstract wireToRemote(v: number, type: number, bytes: number, aux: number): void;

  protected override pickVhost(d: number): boolean {
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
    if (ntx) { busy[qt] = 1; this.ksPickedTx = ntx; }
    if (nrx) busy[qh] = 1;
    S.txNotify[d] = 0; // vhost_disable_notify() while handling
    this.setChunk(this.nVcpu + d, CH_VHOST, 0, cyc, ntx, nrx);
    return true;
  }

  /**
   * TX messages the vhost handler just picked (pickVhost), until its chunk is scheduled: every pick is
   * followed by scheduleChunk in the same event (dispatch, chunkDone), so this never outlives an event
   * and needs no place in the snapshot state.
   */
  private ksPickedTx = 0;

  /** Kick-to-service of a baseline handler run: it starts servicing once switched in (context switch, exits owed). */
  protected override scheduleChunk(c: number, t: number, from: number): void {
    if (this.ksPickedTx > 0 && t >= this.nVcpu) {
      const S = this.S;
      this.serviceStarts(Q_TX * this.nVm + (t - this.nVcpu), this.ksPickedTx, from + S.thRemCtx[t]! + S.thRemExit[t]!);
      this.ksPickedTx = 0;
    }
    super.scheduleChunk(c, t, from);
  }

  /** Messages a handler takes from the head of queue q within the per-visit byte budget. */
  protected takeBudget(q: number): number {
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

  protected batchCycles(q: number, n: number): number {
    const S = this.S, c = this.c;
    let cyc = 0;
    for (let j = 0; j < n; j++) {
      const i = this.qIdx(q, j);
      const by = S.qBytes[i]!;
      cyc += c.vPkt * this.pkts(S.qType[i]!, by, S.qAux[i]!) + c.vByte * by;
    }
    return cyc;
  }

  /** Pops the n messages a handler took from queue q and sends them on (TX → wire, RX → guest ring). */
  protected override handled(q: number, n: number, tx: boolean): void {
    const S = this.S, acc = S.acc, nV = this.nVm;
    if (n === 0) return; // took nothing: the queue's busy flag (if any) belongs to another handler
    S.qBusy[q] = 0;
    const v = this.qVm[q]!;
    const hdr = this.workload(v).type === 'udp_rr' ? this.hdrUdp : this.hdrTcp;
    for (let j = 0; j < n; j++) {
      const i = this.qPop(q);
      const ty = S.qType[i]!, by = S.qBytes[i]!, ax = S.qAux[i]!;
      const p = this.pkts(ty, by, ax);
      // IOcm's counters see chain lengths (headers + frame), as vhost-net counts them
      acc[A_HB] = acc[A_HB]! + by + p * (ty === M_ACK || ty === M_ACKR ? this.hdrAck : hdr);
      acc[A_HP] = acc[A_HP]! + p;
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

  /** After a handler finished a device's queues: let its current owner look at what is left. */
  protected override afterHandled(d: number): void {
    const S = this.S;
    if (S.devWorker[d]! >= 0) { this.refreshVq(d, 0); this.refreshVq(d, 1); }
  }
}
