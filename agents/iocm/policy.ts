/**
 * The IOcm core-count policy as a pure, deterministic state machine (`docs/iocm-policy.md`).
 *
 * One call per 0.1 s interval of host time:
 * * outside a trial, `onEpoch(counters)` is one main-loop epoch: statistics (§2, `stats.ts`), then
 *   `beginEpoch` of the regret layer (§4.2), then the decision procedure of §3.2 with its short-circuit
 *   `allowed` calls (§4.3);
 * * after an add / remove / batching removal, the original blocks for a 1 s trial (§4.4): 5 grace + 5
 *   measured samples of B/C, no decisions, no epoch advance, no history update. Here the trial is played
 *   out over the next 10 calls: each one consumes one interval's counters as a sample and holds the new
 *   core count; the 10th judges the trial and returns either the new count (accepted) or the previous one
 *   (the revert). The next call is the next epoch, whose deltas start at the last sample (§4.4).
 *
 * START (§3.2, k = max(floor(effective / 2), 1) capped at max, or min when min > 0) and STOP are not
 * trial-evaluated, take no lock and keep the request histories (§7.6, §7.10). Decisions are expressed as a
 * target I/O-core count (0 = baseline), the env's `absolute` action mode.
 *
 * The state (`getState`/`setState`) is plain JSON, so a run can be snapshotted, replayed, and the test
 * vectors of §9 can start from any regret state.
 */
import type { EpochCounters } from '../../env/index.js';
import { type IocmParams, row } from './params.js';
import {
  type IocmMove, type RegretState, allowed, beginEpoch, cloneRegretState, initialRegretState, judgeTrial,
  trialAfter, trialBefore,
} from './regret.js';
import { type IocmStats, type StatsCarry, bytesPerCycle, computeStats, initialCarry } from './stats.js';

/** What the policy knows about the host apart from the statistics (from the manager's own bookkeeping). */
export interface HostView {
  /** W: current I/O cores (0 = baseline). */
  ioCores: number;
  /** nW: vhost worker threads (side-core: W; baseline: one per device). */
  workerThreads: number;
  /** The env's own limit on I/O cores; the effective max is min(params.maxIoCores, this). */
  maxIoCores?: number;
}

/** A trial in progress (§4.4). */
export interface TrialState {
  move: IocmMove;
  /** Core count before the move (the revert target). */
  from: number;
  /** Core count after the move (held during the trial). */
  to: number;
  /** Mean bpc of the history when the move was made. */
  before: number;
  /** B/C of each trial interval so far. */
  samples: number[];
}

export interface IocmPolicyState {
  regret: RegretState;
  carry: StatsCarry;
  trial: TrialState | null;
}

export type IocmEvent =
  | 'none' // an epoch without a move
  | 'start' // baseline → side-core with k cores
  | 'stop' // side-core → baseline
  | 'trial-begin' // add / remove / batching removal made, trial starts
  | 'trial-hold' // a trial interval (not an epoch)
  | 'trial-accept' // the trial's last interval: move kept
  | 'trial-revert'; // the trial's last interval: move undone

export interface IocmDecision {
  /** I/O-core count to run next (absolute action). */
  target: number;
  event: IocmEvent;
  /** The move made, trialled or judged (null for 'none'). */
  move: IocmMove | null;
  /** Regret epoch counter after this call. */
  epoch: number;
  /** Moves whose request was evaluated this epoch (allowed() called), in call order. */
  requested: IocmMove[];
  /** This epoch's statistics (null during a trial). */
  stats: IocmStats | null;
  /** Trial values (set on trial-begin, -accept and -revert). */
  before?: number;
  after?: number;
}

export class IocmPolicy {
  private state: IocmPolicyState;

  constructor(readonly params: IocmParams) {
    this.state = IocmPolicy.initialState(params);
  }

  static initialState(p: IocmParams): IocmPolicyState {
    return { regret: initialRegretState(p), carry: initialCarry(), trial: null };
  }

  /** Back to the start-up state (epoch 0, lastGood = initialLastGood, empty histories). */
  reset(): void {
    this.state = IocmPolicy.initialState(this.params);
  }

  get inTrial(): boolean {
    return this.state.trial !== null;
  }

  /** A deep copy of the whole state (plain JSON). */
  getState(): IocmPolicyState {
    return cloneState(this.state);
  }

  setState(s: IocmPolicyState): void {
    this.state = cloneState(s);
  }

  /** One 0.1 s interval of counters: an epoch, or a trial sample while a trial runs. */
  onEpoch(c: EpochCounters, view: Partial<HostView> = {}): IocmDecision {
    if (this.state.trial !== null) {
      // The original keeps refreshing its counters during a trial (§4.4); only the quantisation
      // residuals of the cumulative CPU counters carry over — `borrowed` is updated by calculate_load only.
      const { carry } = computeStats(c, this.params, this.state.carry);
      this.state.carry = { ...carry, borrowed: this.state.carry.borrowed };
      return this.onTrialSample(bytesPerCycle(c));
    }
    const { stats, carry } = computeStats(c, this.params, this.state.carry);
    this.state.carry = carry;
    return this.onStats(stats, {
      ioCores: view.ioCores ?? c.ioCores,
      workerThreads: view.workerThreads ?? c.workerThreads,
      ...(view.maxIoCores === undefined ? {} : { maxIoCores: view.maxIoCores }),
    });
  }

  /** One main-loop epoch from already computed statistics (§3.2). */
  onStats(stats: IocmStats, view: HostView): IocmDecision {
    if (this.state.trial !== null) throw new Error('iocm: onStats called during a trial; feed onTrialSample');
    const p = this.params, s = this.state.regret;
    const W = view.ioCores, nW = view.workerThreads;
    const max = view.maxIoCores === undefined ? p.maxIoCores : Math.min(p.maxIoCores, view.maxIoCores);
    const min = p.minIoCores;
    const requested: IocmMove[] = [];
    const ask = (m: IocmMove): boolean => {
      requested.push(m);
      return allowed(s, m, p);
    };
    const result = (target: number, event: IocmEvent, move: IocmMove | null): IocmDecision =>
      ({ target, event, move, epoch: s.epoch, requested, stats });

    beginEpoch(s, stats.bpc, p);

    if (W === 0) {
      // ---- baseline (§3.2): start side-core mode with k cores
      let want = stats.overallIoRatio > 1 - row(p.addRatio, 0);
      let k = Math.max(Math.floor(stats.effectiveIoRatio / p.jumpDivisor), 1);
      if (min > 0) {
        want = true; // forced start: regret not consulted, lock ignored (§7.6)
        k = min;
      }
      k = Math.min(k, max);
      if (min === 0 && (!want || !ask('start_shared_worker'))) return result(W, 'none', null);
      if (k < 1) return result(W, 'none', null); // max 0: nowhere to start
      if (!p.keepHistoryOnStartStop) s.req = {};
      return result(k, 'start', 'start_shared_worker');
    }

    const stopThreshold = row(p.canRemoveRatio, 1);
    const stopTest = p.stopCanSucceed && (p.stopWrittenForm ? 1 - stats.empty < 1 - stopThreshold : stats.empty > stopThreshold);
    if (W === 1 && stopTest && min === 0) {
      // ---- side-core → baseline; nothing else is evaluated this epoch
      if (!ask('stop_shared_worker')) return result(W, 'none', null);
      if (!p.keepHistoryOnStartStop) s.req = {};
      return result(0, 'stop', 'stop_shared_worker');
    }

    let ioWantsCore = stats.empty < row(p.addRatio, nW);
    // without a stop, nothing may take the last I/O core either (side-core mode is never left)
    let ioCanGive = (p.stopCanSucceed || W > 1) && stats.empty > row(p.canRemoveRatio, nW);
    let vmWantsCore = stats.vmIdle < p.vmAddRatio;
    let vmCanGive = stats.vmIdle > p.vmCanRemoveRatio;
    const batch = W >= 2 && stats.avgBpp < row(p.minAvgBytesPerPacket, nW) && (p.batchingIgnoresMin || W > min);
    if (p.forceVmWantsRule && stats.empty > p.forceVmWantsEmpty) vmWantsCore = true;
    if (min > W) ioWantsCore = vmCanGive = true;
    if (min >= W) vmWantsCore = ioCanGive = false;
    if (p.maxTestEquality ? max === W : W >= max) ioWantsCore = vmCanGive = false;

    const move = (m: IocmMove, to: number): IocmDecision => {
      const before = trialBefore(s);
      this.state.trial = { move: m, from: W, to, before, samples: [] };
      return { ...result(to, 'trial-begin', m), before };
    };
    if (batch && ask('batching_remove_io_core')) return move('batching_remove_io_core', W - 1);
    if (ioWantsCore && vmCanGive && ask('add_io_core')) return move('add_io_core', W + 1);
    if (vmWantsCore && ioCanGive && ask('remove_io_core')) return move('remove_io_core', W - 1);
    return result(W, 'none', null);
  }

  /** One trial interval's B/C (§4.4); the last one judges the trial. */
  onTrialSample(bpc: number): IocmDecision {
    const t = this.state.trial;
    if (t === null) throw new Error('iocm: onTrialSample called outside a trial');
    const p = this.params, s = this.state.regret;
    t.samples.push(bpc);
    const base = { move: t.move, epoch: s.epoch, requested: [] as IocmMove[], stats: null };
    if (t.samples.length < p.trialGraceSamples + p.trialMeasuredSamples) {
      return { ...base, target: t.to, event: 'trial-hold' };
    }
    const after = trialAfter(t.samples, p);
    const good = judgeTrial(s, t.move, t.before, after, p);
    this.state.trial = null;
    return { ...base, target: good ? t.to : t.from, event: good ? 'trial-accept' : 'trial-revert', before: t.before, after };
  }
}

function cloneState(s: IocmPolicyState): IocmPolicyState {
  return {
    regret: cloneRegretState(s.regret),
    carry: { ...s.carry, idleResidualNs: { ...s.carry.idleResidualNs } },
    trial: s.trial === null ? null : { ...s.trial, samples: [...s.trial.samples] },
  };
}
