/**
 * The CFS-like scheduler of the VM cores: a run queue ordered by vruntime, sleeper placement, wake-up
 * preemption, time slices (sched_latency / nr_running, at least min_granularity) and the chunks of work
 * a running thread executes. Which chunk a thread runs next is the thread's business (`pick`: guest.ts
 * for vCPUs, vhost.ts for vhost threads).
 */
import * as layout from './state.js';
import { Virtqueues } from './virtqueues.js';
import { IDLE_AVG_WEIGHT, idleExitNs } from './cstates.js';

// Copied into module constants: the hot paths must not go through module-namespace accessors (some
// loaders, tsx among them, compile ESM imports to getters).
const { A_CSW, CH_NONE, TH_QUEUED, TH_RUN, TH_SLEEP } = layout;

export abstract class Scheduler extends Virtqueues {
  protected readonly evChunk: number;
  protected readonly evTick: number;

  constructor(...args: ConstructorParameters<typeof Virtqueues>) {
    super(...args);
    const kernel = this.k;
    this.evChunk = kernel.on('chunk', (c, gen) => { if (this.S.coreGen[c] === gen) this.chunkDone(c); });
    this.evTick = kernel.on('tick', (c, gen) => { if (this.S.coreTickGen[c] === gen) this.tick(c); });
  }

  // from the mechanisms above this one
  protected abstract complete(t: number): void;
  protected abstract pick(t: number): boolean;

  protected rqPush(t: number): void {
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

  protected rqPop(): number {
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
  protected wake(t: number): void {
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
    // wake-up preemption: against the running thread with the largest vruntime. A running thread's
    // vruntime is read as of now without accounting its core: syncCore would add the cycles it ran since
    // the core was last accounted (from the later of that and its start), and accounting a core later in
    // one piece instead of two gives the same sums (whole cycles, exact), so only the preempted core is
    // accounted (by `preempt`)
    let worst = -1, worstVr = -Infinity;
    const now = this.k.now, coreAcc = S.coreAcc, runFrom = S.coreRunFrom;
    for (let c = S.curX; c < this.nCores; c++) {
      const u = coreThr[c]!;
      if (u < 0) continue;
      const from = Math.max(coreAcc[c]!, runFrom[c]!);
      const v = now > from ? vr[u]! + (now - from) : vr[u]!;
      if (v > worstVr) { worstVr = v; worst = c; }
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
  protected preempt(c: number): void {
    const S = this.S;
    this.syncCore(c, this.k.now);
    const t = S.coreThr[c]!;
    S.coreGen[c] = S.coreGen[c]! + 1;
    S.coreThr[c] = -1;
    S.coreRunFrom[c] = this.k.now;
    if (t >= 0) this.rqPush(t);
  }

  /** Runs thread t on idle VM core c (already synced). False if t had nothing to do (it sleeps). */
  protected dispatch(c: number, t: number, fromIdle: boolean): boolean {
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
    // cycles owed on this core (the manager's samples, a NIC interrupt moved here): reconfig.ts
    if (S.coreDebt[c]! > 0) { S.thRemCtx[t] = S.thRemCtx[t]! + S.coreDebt[c]!; S.coreDebt[c] = 0; }
    th[t] = TH_RUN;
    S.thCore[t] = c;
    S.coreThr[c] = t;
    S.thRunStart[t] = this.k.now;
    // CFS min_vruntime: monotonic, follows the smallest vruntime among running and queued threads
    let mv = S.thVr[t]!;
    if (S.rqN > 0) mv = Math.min(mv, S.thVr[S.rq[0]!]!);
    if (mv > S.minVr) S.minVr = mv;
    const from = fromIdle ? this.k.now + this.leaveIdle(c) : this.k.now;
    S.coreRunFrom[c] = from;
    this.scheduleChunk(c, t, from);
    return true;
  }

  /**
   * VM core c goes idle: it enters the idle state the governor picks from its average idle period and
   * its busy fraction (cstates.ts); the state's exit latency is paid when a thread next wakes on it.
   */
  protected enterIdle(c: number): void {
    const S = this.S, now = this.k.now;
    const busy = now - S.coreWakeAt[c]!;
    S.coreBusyAvg[c] = S.coreBusyAvg[c]! + IDLE_AVG_WEIGHT * (busy - S.coreBusyAvg[c]!);
    S.coreIdleFrom[c] = now;
    const idle = S.coreIdleAvg[c]!, b = S.coreBusyAvg[c]!;
    const u = idle + b > 0 ? b / (idle + b) : 0;
    S.coreExitLat[c] = Math.round(idleExitNs(this.costs.cStates, idle / this.ghz, u) * this.ghz);
  }

  /** A thread wakes on idle VM core c: the latency until it runs (IPI, idle-state exit); updates the averages. */
  protected leaveIdle(c: number): number {
    const S = this.S, now = this.k.now;
    S.coreIdleAvg[c] = S.coreIdleAvg[c]! + IDLE_AVG_WEIGHT * (now - S.coreIdleFrom[c]! - S.coreIdleAvg[c]!);
    const lat = this.c.idleWake + S.coreExitLat[c]!;
    S.coreWakeAt[c] = now + lat;
    return lat;
  }

  protected scheduleChunk(c: number, t: number, from: number): void {
    const S = this.S;
    const gen = S.coreGen[c]! + 1;
    S.coreGen[c] = gen;
    const rem = S.thRemCtx[t]! + S.thRemExit[t]! + S.thRemMain[t]!;
    this.k.schedule(this.evChunk, from + rem, c, gen, 0, 0);
  }

  /** Core c is free: run the next queued thread, or idle. */
  protected dispatchNext(c: number, fromIdle: boolean): void {
    const S = this.S;
    S.coreThr[c] = -1;
    S.coreRunFrom[c] = this.k.now;
    while (S.rqN > 0) {
      const t = this.rqPop();
      if (this.dispatch(c, t, fromIdle)) return;
    }
    if (!fromIdle) this.enterIdle(c); // (fromIdle: it was idle already and stays so)
  }

  protected slice(): number {
    const S = this.S;
    let running = 0;
    const coreThr = S.coreThr;
    for (let c = S.curX; c < this.nCores; c++) if (coreThr[c]! >= 0) running++;
    return Math.max(Math.round(this.c.lat / (running + S.rqN)), this.c.minGran);
  }

  /** Arms a slice-expiry tick on every busy VM core that has none while threads wait. */
  protected armTicks(): void {
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

  protected tick(c: number): void {
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
  protected chunkDone(c: number): void {
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
}
