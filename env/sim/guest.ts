/**
 * The guest side of a VM, run by its vCPU threads: NAPI polls of the RX ring after an interrupt, the
 * application (one request → one response), stream sends within the TCP window and the TX ring, CPU-
 * bound computation, HLT; and what reaches the guest: kicks it sends (exits), interrupts it takes
 * (injected with exits, or exitless).
 */
import * as layout from './state.js';
import type { DerivedCycles } from './base.js';
import type { Workload } from './scenario.js';
import { Scheduler } from './scheduler.js';

// Copied into module constants: the hot paths must not go through module-namespace accessors (some
// loaders, tsx among them, compile ESM imports to getters).
const { A_EX_EOI, A_EX_HLT, A_EX_INJ, A_EX_KICK, A_IRQ, CH_APP, CH_BG, CH_IDLEPOLL, CH_NAPI, CH_NONE, CH_STREAM, CH_VHOST, M_ACK, M_ACKR, M_DATA, M_REQ, M_REQ_SET, M_RESP, Q_APP, Q_RING, Q_RXH, Q_TX, TH_RUN, TH_SLEEP, isTransactional } = layout;

export abstract class Guest extends Scheduler {
  // from the mechanisms above this one
  protected abstract afterHandled(d: number): void;
  protected abstract handled(q: number, n: number, tx: boolean): void;
  protected abstract pickVhost(d: number): boolean;
  protected abstract refreshVq(d: number, dir: number): void;

  /** Chooses the next chunk of thread t; false if it has nothing to do (it will sleep). */
  protected override pick(t: number): boolean {
    return t < this.nVcpu ? this.pickVcpu(t) : this.pickVhost(t - this.nVcpu);
  }

  protected setChunk(t: number, kind: number, exit: number, main: number, n1: number, n2: number): void {
    const S = this.S;
    S.thChunk[t] = kind;
    S.thRemExit[t] = S.thRemExit[t]! + exit + S.thDebt[t]!;
    S.thDebt[t] = 0;
    S.thRemMain[t] = Math.round(main);
    S.thN1[t] = n1;
    S.thN2[t] = n2;
  }

  protected injected(v: number): boolean {
    return this.S.devWorker[v]! < 0 || !this.exitless;
  }

  protected pickVcpu(t: number): boolean {
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
          if (this.injected(v)) { exit += c.eoi; this.countExit(A_EX_EOI, v); }
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
    // 5. nothing to do. A guest booted with idle=poll spins in its idle loop (arch/x86/kernel/process.c
    //    poll_idle): no exit, the vCPU keeps its core, and an interrupt finds it in guest mode. The spin
    //    is a chunk of one minimum granularity, cut short by any interrupt like computation.
    if (this.idlePoll) {
      this.setChunk(t, CH_IDLEPOLL, 0, c.minGran, 0, 0);
      return true;
    }
    //    Otherwise HLT. The vCPU thread sleeps at once; the exit's cycles are charged to the vCPU
    //    when it next runs (as exit time), which keeps one event per halt out of the queue.
    this.countExit(A_EX_HLT, v);
    S.thDebt[t] = S.thDebt[t]! + c.hlt;
    return false;
  }

  /**
   * Is VM v's TX ring too full for a burst? Then the guest stops its queue (netif_stop_queue) and asks
   * for a TX interrupt when the host has used buffers (virtqueue_enable_cb_delayed).
   */
  protected txRingFull(v: number, burst: number, w: Workload): boolean {
    const S = this.S;
    if (S.txSlots[v]! + Math.ceil(burst / w.segmentBytes) <= this.costs.ringSize) return false;
    S.txBlocked[v] = 1;
    return true;
  }

  /**
   * Bytes acknowledged per ACK: delayed ACK acknowledges every second full-sized segment, and a GRO
   * segment larger than that gets one ACK (Linux `__tcp_ack_snd_check`).
   */
  protected ackUnit(segmentBytes: number): number {
    return Math.max(2 * this.costs.mssBytes, segmentBytes);
  }

  /**
   * Bytes a stream sender hands to the stack at once: one TSO segment, or, without TSO, the MTU packets
   * of one send() call (tcp_write_xmit pushes them back to back); such a burst travels as one message
   * whose per-packet costs count each segment.
   */
  protected burstBytes(w: Workload): number {
    const seg = w.segmentBytes;
    return seg >= w.messageBytes ? seg : Math.max(1, Math.floor(w.messageBytes / seg)) * seg;
  }

  /** Guest cycles to serve one request: recv + send calls, the application's work, sending the response. */
  protected appCycles(w: Workload, type: number, c: DerivedCycles): number {
    const resp = this.respBytes(w, type);
    let app = w.appCycles;
    if (app > 0) app *= 0.5 + this.rand(); // [INF] per-request work varies ±50 % (uniform)
    return 2 * c.sys + app + c.gTx * this.pkts(M_RESP, resp, 0) + c.gByte * resp;
  }

  protected respBytes(w: Workload, type: number): number {
    if (type === M_REQ_SET) return 8; // "STORED\r\n"
    return isTransactional(w) ? w.responseBytes : 1;
  }

  /** Effects of the chunk thread t just finished. */
  protected override complete(t: number): void {
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
  protected appDone(v: number): void {
    const S = this.S, nV = this.nVm;
    const i = this.qPop(Q_APP * nV + v);
    const ty = S.qType[i]!, by = S.qBytes[i]!, ax = S.qAux[i]!;
    this.consumed(by);
    this.goodput(v, by);
    const resp = this.respBytes(this.workload(v), ty);
    this.txPush(v, M_RESP, resp, ax);
    this.sentBytes(resp);
  }

  /** The guest (vCPU thread t of VM v) added buffers to its TX ring: kick if the host asked for it. */
  protected txAdded(v: number, t: number): void {
    const S = this.S;
    const dw = S.devWorker[v]!;
    if (S.devSusp[v]) return;
    if (dw >= 0) { this.refreshVq(v, 0); return; } // polled: VRING_USED_F_NO_NOTIFY, no kick
    if (!S.txNotify[v]) return; // EVENT_IDX: the host has not asked for a kick
    S.txNotify[v] = 0;
    this.countExit(A_EX_KICK, v);
    S.thDebt[t] = S.thDebt[t]! + this.c.kick;
    this.wake(this.nVcpu + v);
  }

  /**
   * The guest refilled its RX ring while the host waits for buffers: the refill notification is a kick
   * (an exit) in the baseline; a polling worker just sees the room at its next visit.
   */
  protected rxRefilled(v: number, t: number): void {
    const S = this.S;
    S.rxWait[v] = 0;
    if (S.devSusp[v]) return;
    if (S.devWorker[v]! >= 0) { this.refreshVq(v, 1); return; }
    this.countExit(A_EX_KICK, v);
    S.thDebt[t] = S.thDebt[t]! + this.c.kick;
    this.wake(this.nVcpu + v);
  }

  /** Used TX buffers for a guest whose TX queue is stopped: the TX interrupt restarts its sender. */
  protected txSpace(v: number): void {
    const S = this.S;
    S.txBlocked[v] = 0;
    this.count(A_IRQ);
    const t = this.vmVcpu0[v]!;
    const st = S.thState[t]!;
    // interrupt entry (guest) and, when injected, the injection and EOI exits, paid by the vCPU
    let debt = this.c.gIrq;
    if (this.injected(v)) {
      this.countExit(A_EX_EOI, v);
      debt += this.c.eoi;
      if (st === TH_RUN) { this.countExit(A_EX_INJ, v); debt += this.c.inject; }
    }
    S.thDebt[t] = S.thDebt[t]! + debt;
    if (st === TH_SLEEP) this.wake(t);
    else if (S.thChunk[t] === CH_IDLEPOLL) {
      // an idle-polling guest takes the interrupt at once (running) or at its next entry (queued)
      if (st === TH_RUN) this.interruptSpin(t);
      else { S.thChunk[t] = CH_NONE; S.thRemMain[t] = 0; }
    }
  }

  /** The host put used RX buffers in VM v's ring: interrupt the guest unless it is polling (NAPI). */
  protected signalGuest(v: number): void {
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
      if (S.thChunk[t] === CH_BG || S.thChunk[t] === CH_IDLEPOLL) {
        S.thChunk[t] = CH_NONE;
        S.thRemMain[t] = 0;
      }
      return;
    }
    if (this.injected(v)) {
      this.countExit(A_EX_INJ, v);
      S.thDebt[t] = S.thDebt[t]! + this.c.inject;
    }
    this.interruptSpin(t);
  }

  /** An interrupt cuts short the computation or idle spin vCPU thread t is running: it picks anew. */
  protected interruptSpin(t: number): void {
    const S = this.S;
    if (S.thChunk[t] === CH_BG || S.thChunk[t] === CH_IDLEPOLL) {
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
}
