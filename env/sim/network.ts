/**
 * The NICs and the wire (serialisation at the link rate plus a fixed latency, per NIC and direction),
 * and the remote machine at the other end: closed-loop and open-loop clients, the stream peers (TCP
 * window, delayed ACKs), and the scenario's phase changes that start and stop them.
 */
import * as layout from './state.js';
import { SideCoreWorkers } from './worker.js';
import { LogBins } from './log-bins.js';

// Copied into module constants: the hot paths must not go through module-namespace accessors (some
// loaders, tsx among them, compile ESM imports to getters).
const { A_LATSUM, A_TXN, H_BASE_NS, H_BINS, H_RATIO, M_ACK, M_ACKR, M_DATA, M_REQ, M_REQ_SET, M_RESP, NVA, Q_RXH, TH_SLEEP, VA_LAT, VA_TXN, isTransactional } = layout;

/** The latency histogram's bins (2 % wide from 100 ns; state.ts). */
const LATENCY_BINS = new LogBins(H_BASE_NS, H_RATIO, H_BINS);

export abstract class Network extends SideCoreWorkers {
  protected readonly evHostRx: number;
  protected readonly evRemoteRx: number;
  protected readonly evOpen: number;
  protected readonly evPhase: number;
  /** Kernel lanes of the arrivals at the remote and at the host, per NIC: each link delivers in order. */
  private readonly laneRemote: number;
  private readonly laneHost: number;

  constructor(...args: ConstructorParameters<typeof SideCoreWorkers>) {
    super(...args);
    const kernel = this.k;
    this.evHostRx = kernel.on('hostRx', (v, type, bytes, aux) => this.hostRx(v, type, bytes, aux));
    this.evRemoteRx = kernel.on('remoteRx', (v, type, bytes, aux) => this.remoteRx(v, type, bytes, aux));
    this.evOpen = kernel.on('open', (v, gen) => { if (this.S.openGen[v] === gen) this.openArrival(v); });
    this.evPhase = kernel.on('phase', (p) => this.enterPhase(p));
    // lanes laneRemote + nic and laneHost + nic, one of each per NIC
    const nics = this.scenario.host.nics;
    this.laneRemote = kernel.lane();
    for (let n = 1; n < nics; n++) kernel.lane();
    this.laneHost = kernel.lane();
    for (let n = 1; n < nics; n++) kernel.lane();
  }

  protected wireCycles(bytes: number): number {
    const k = this.costs;
    const frames = Math.max(1, Math.ceil(bytes / k.mssBytes));
    return Math.max(1, Math.round((bytes + frames * k.frameOverheadBytes) * this.c.bitCycles));
  }

  /** Host NIC → wire → remote. */
  protected override wireToRemote(v: number, type: number, bytes: number, aux: number): void {
    const S = this.S, nic = this.vmNic[v]!;
    const start = Math.max(this.k.now, S.nicTx[nic]!);
    const end = start + this.wireCycles(bytes);
    S.nicTx[nic] = end;
    this.k.scheduleIn(this.laneRemote + nic, this.evRemoteRx, end + this.c.wire, v, type, bytes, aux);
  }

  /** Remote → wire → host NIC; the message leaves the remote at `at` (≥ now) or later if the link is busy. */
  protected remoteSend(v: number, type: number, bytes: number, aux: number, at: number): void {
    const S = this.S, nic = this.vmNic[v]!;
    const start = Math.max(at, S.nicRx[nic]!);
    const end = start + this.wireCycles(bytes);
    S.nicRx[nic] = end;
    this.sentBytes(bytes);
    this.k.scheduleIn(this.laneHost + nic, this.evHostRx, end + this.c.wire, v, type, bytes, aux);
  }

  protected hostRx(v: number, type: number, bytes: number, aux: number): void {
    const S = this.S;
    this.qPush(Q_RXH * this.nVm + v, type, bytes, aux);
    if (S.devSusp[v]) return;
    if (S.devWorker[v]! >= 0) this.refreshVq(v, 1);
    else this.wake(this.nVcpu + v); // tap socket → vhost handle_rx wake-up
  }

  protected remoteRx(v: number, type: number, bytes: number, aux: number): void {
    const S = this.S;
    this.consumed(bytes);
    const w = this.workload(v);
    if (type === M_RESP) {
      const acc = S.acc, va = S.accVm;
      const lat = (this.k.now - aux) / this.ghz;
      acc[A_TXN] = acc[A_TXN]! + 1; acc[A_LATSUM] = acc[A_LATSUM]! + lat;
      va[v * NVA + VA_TXN] = va[v * NVA + VA_TXN]! + 1; va[v * NVA + VA_LAT] = va[v * NVA + VA_LAT]! + lat;
      const b = LATENCY_BINS.bin(lat);
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
  protected remotePump(v: number): void {
    const S = this.S, w = this.workload(v);
    if (w.type !== 'tcp_stream_rx') return;
    const u = S.remUnacked, burst = this.burstBytes(w);
    while (u[v]! + burst <= w.windowBytes) {
      u[v] = u[v]! + burst;
      this.remoteSend(v, M_DATA, burst, w.segmentBytes, this.k.now);
    }
  }

  /** The remote client sends one request, leaving at time `at`. */
  protected sendRequest(v: number, at: number): void {
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

  protected openArrival(v: number): void {
    const S = this.S, w = this.workload(v);
    if (w.ratePerSec <= 0) return;
    S.inflight[v] = S.inflight[v]! + 1;
    this.sendRequest(v, this.k.now);
    this.k.schedule(this.evOpen, this.k.now + this.expCycles(w.ratePerSec), v, S.openGen[v]!, 0, 0);
  }

  protected expCycles(ratePerSec: number): number {
    return Math.max(1, Math.round(-Math.log(this.rand()) * (1e9 * this.ghz) / ratePerSec));
  }

  protected enterPhase(p: number): void {
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
}
