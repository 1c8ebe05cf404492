/**
 * Reconfiguration: changing the number of I/O cores with the real mechanism's costs. Cores change role
 * at once (a vCPU running there is preempted and pays a migration), new workers pay their creation,
 * every device whose worker changes (every device, with IOcm's re-mapping) is suspended while it is
 * transferred, one after the other, and a NIC interrupt that moves runs cold on its new core. A manager
 * process (unless `manager: 'none'`) samples every counter each `managerSampleNs` on core 0.
 */
import type { HostReading, ReconfigManager } from '../host-model.js';
import * as layout from './state.js';
import { Network } from './network.js';

// Copied into module constants: the hot paths must not go through module-namespace accessors (some
// loaders, tsx among them, compile ESM imports to getters).
const { WK_OFF, WK_POLL } = layout;

export abstract class Reconfiguration extends Network {
  protected readonly evDevResume: number;
  protected readonly evManager: number;
  /** Who reconfigures: no manager process, one moving only what changes, or IOcm's (re-maps every device). */
  protected readonly manager: ReconfigManager;

  constructor(...args: ConstructorParameters<typeof Network>) {
    super(...args);
    const kernel = this.k;
    this.manager = args[1].manager ?? 'none';
    this.evDevResume = kernel.on('devResume', (d, gen) => { if (this.S.devGen[d] === gen) this.devResume(d); });
    this.evManager = kernel.on('managerSample', () => this.managerSample());
  }

  /** One sample of the manager process on core 0: its CPU time, then the next sample. */
  protected managerSample(): void {
    const S = this.S, k = this.costs;
    this.owe(0, Math.round(k.managerCpuNsPerSample * this.ghz));
    S.rcMgr += k.managerCpuNsPerSample;
    // a polling worker 0 does the owed control work now (a worker in a visit does it at the visit's end)
    if (S.coreIsIo[0] && S.wkState[0] === WK_POLL && !(S.wkQ[0]! >= 0 && this.k.now > this.visitTime(0))) {
      this.syncWorker(0);
      this.startPolling(0, 0);
    }
    this.k.schedule(this.evManager, this.k.now + Math.round(k.managerSampleNs * this.ghz), 0, 0, 0, 0);
  }

  /**
   * Cycles core c owes to something other than its threads: on an I/O core, control work of its worker
   * (picked up at the worker's next loop); on a VM core, a debt of the next thread run there.
   */
  protected owe(c: number, cycles: number): void {
    const S = this.S;
    if (S.coreIsIo[c]) S.wkCtl[c] = S.wkCtl[c]! + cycles;
    else S.coreDebt[c] = S.coreDebt[c]! + cycles;
  }

  /** As `Accounting.readEpoch`, plus the window's reconfiguration costs (`reconfig`). */
  override readEpoch(): HostReading {
    const r = super.readEpoch(), S = this.S;
    r.reconfig = { reconfigurations: S.rcN, stallNs: S.rcStall, managerCpuNs: S.rcMgr };
    S.rcN = 0; S.rcStall = 0; S.rcMgr = 0;
    return r;
  }

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

  protected reconfigure(x: number, withCosts: boolean): void {
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
        this.enterIdle(c);
      }
    }
    S.curX = x;
    if (withCosts) {
      S.rcN++;
      // NIC j's interrupt goes to label j mod (x + 1): I/O worker ℓ's core, or core 0 in the baseline
      for (let j = 0; j < this.scenario.host.nics; j++) {
        const to = j % (x + 1);
        if (to !== j % (old + 1)) this.owe(to, this.c.irqMove);
      }
    }
    // 2. devices: VM d → worker d mod x (or its own vhost thread at x = 0), moved one at a time; IOcm's
    //    balancer rewrites every device's worker, so with it every device is detached and re-attached
    const dw = S.devWorker;
    let moved = 0;
    const oldOwner = Int32Array.from(dw);
    const remapAll = withCosts && this.manager === 'iocm';
    for (let d = 0; d < this.nVm; d++) {
      const nw = x === 0 ? -1 : d % x;
      if (nw === dw[d] && !remapAll) continue;
      dw[d] = nw;
      if (withCosts) {
        moved++;
        S.devSusp[d] = 1;
        const gen = S.devGen[d]! + 1;
        S.devGen[d] = gen;
        this.k.schedule(this.evDevResume, this.k.now + moved * this.c.move, d, gen, 0, 0);
        S.rcStall += moved * this.costs.deviceMoveNs;
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
  protected rebuildWorkers(): void {
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

  protected devResume(d: number): void {
    const S = this.S;
    S.devSusp[d] = 0;
    if (S.devWorker[d]! >= 0) { this.refreshVq(d, 0); this.refreshVq(d, 1); }
    else this.wake(this.nVcpu + d);
  }

  protected start(x: number): void {
    const S = this.S;
    for (let v = 0; v < this.nVm; v++) S.devWorker[v] = -1;
    S.curX = 0;
    if (x > 0) this.reconfigure(x, false);
    if (this.manager !== 'none') this.k.schedule(this.evManager, Math.round(this.costs.managerSampleNs * this.ghz), 0, 0, 0, 0);
    for (let i = 0; i < this.phaseEnd.length - 1; i++) this.k.schedule(this.evPhase, this.phaseEnd[i]!, i + 1, 0, 0, 0);
    this.enterPhase(0);
  }
}
