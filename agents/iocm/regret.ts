/**
 * The hysteresis / trial-and-revert layer of IOcm, `ThroughputRegretPolicy`
 * (`docs/iocm-policy.md` §4), as pure functions over a plain, serialisable state.
 *
 * * `beginEpoch` (§4.2): epoch += 1, push bpc (keep `bpcHistoryLength`), and age every known move's
 *   request history: a move requested in the previous epoch already appended its True, so only its flag
 *   is cleared; any other known move gets a False (history capped at `requestHistoryLength`).
 * * `allowed` (§4.3) has a side effect — it records the request — so callers call it exactly where the
 *   original does (short-circuit after the conditions on its left). Requests during the lock after a good
 *   move (epoch < lastGood + 1.5 × 5) are discarded, not recorded (§7.8). The quorum is checked over the
 *   20 entries *before* the current request (§8). A penalised move's request is still recorded.
 * * `judgeTrial` (§4.4): before = mean of the bpc history (captured when the move is made), after = mean
 *   of the measured samples; accept on equality or after > before + 0.01. Accepting sets lastGood and
 *   clears every request history and every failure record; rejecting sets/doubles the move's penalty
 *   (20 → 40 → 80 → 100 cap) and leaves everything else alone.
 */
import type { IocmParams } from './params.js';

/** The named moves of IWM (§1). The hook names (vq classification, balance, polling) are not modelled:
 * their histories are independent of these and their outcomes are no-ops in the final code (§6). */
export type IocmMove =
  | 'start_shared_worker'
  | 'stop_shared_worker'
  | 'add_io_core'
  | 'remove_io_core'
  | 'batching_remove_io_core';

export interface RequestHistory {
  /** Oldest first; at most requestHistoryLength entries. */
  list: boolean[];
  /** Requested in the current epoch (its True is already in `list`). */
  flag: boolean;
}

export interface FailureRecord {
  penalty: number;
  lastFailed: number;
}

export interface RegretState {
  epoch: number;
  lastGood: number;
  req: Partial<Record<IocmMove, RequestHistory>>;
  failed: Partial<Record<IocmMove, FailureRecord>>;
  /** bpc of the last bpcHistoryLength epochs, oldest first (current epoch included). */
  bpcHist: number[];
}

export function initialRegretState(p: IocmParams): RegretState {
  return { epoch: 0, lastGood: p.initialLastGood, req: {}, failed: {}, bpcHist: [] };
}

export function cloneRegretState(s: RegretState): RegretState {
  const req: RegretState['req'] = {};
  for (const [m, h] of Object.entries(s.req) as [IocmMove, RequestHistory][]) req[m] = { list: [...h.list], flag: h.flag };
  const failed: RegretState['failed'] = {};
  for (const [m, f] of Object.entries(s.failed) as [IocmMove, FailureRecord][]) failed[m] = { ...f };
  return { epoch: s.epoch, lastGood: s.lastGood, req, failed, bpcHist: [...s.bpcHist] };
}

/** §4.2 — once per main-loop epoch, before any decision (never during a trial). */
export function beginEpoch(s: RegretState, bpc: number, p: IocmParams): void {
  s.epoch += 1;
  s.bpcHist.push(bpc);
  while (s.bpcHist.length > p.bpcHistoryLength) s.bpcHist.shift();
  for (const h of Object.values(s.req)) {
    if (h === undefined) continue;
    if (h.flag) {
      h.flag = false;
      continue;
    }
    h.list.push(false);
    while (h.list.length > p.requestHistoryLength) h.list.shift();
  }
}

/** Lock after the last good move: epochs lastGood+1 … lastGood+7 with the defaults (§4.1). */
export function locked(s: RegretState, p: IocmParams): boolean {
  return s.epoch < s.lastGood + p.lockFactor * p.bpcHistoryLength;
}

/** §4.3 — may move `m` now? Records the request unless locked. */
export function allowed(s: RegretState, m: IocmMove, p: IocmParams): boolean {
  if (locked(s, p)) return false; // request discarded, not recorded (§7.8)
  const h = s.req[m];
  if (h === undefined) {
    s.req[m] = { list: [true], flag: true };
    return false;
  }
  const old = h.list;
  if (old.length < p.requestHistoryLength) {
    s.req[m] = { list: [...old, true], flag: true };
    return false;
  }
  s.req[m] = { list: [...old.slice(old.length - p.requestHistoryLength + 1), true], flag: true };
  const trues = old.filter((x) => x).length;
  const share = p.quorumIntegerDivision ? Math.floor(trues / old.length) : trues / old.length;
  if (share < p.requestQuorum) return false; // quorum over the entries BEFORE this request (§8)
  const f = s.failed[m];
  if (f === undefined) return true;
  return s.epoch > f.lastFailed + f.penalty;
}

/** The "before" value of a trial: mean bpc of the history (≤ bpcHistoryLength epochs). */
export function trialBefore(s: RegretState): number {
  if (s.bpcHist.length === 0) return 0;
  return s.bpcHist.reduce((a, b) => a + b, 0) / s.bpcHist.length;
}

/** The "after" value: mean of the measured samples (the grace samples are dropped). */
export function trialAfter(samples: readonly number[], p: IocmParams): number {
  const measured = samples.slice(p.trialGraceSamples, p.trialGraceSamples + p.trialMeasuredSamples);
  if (measured.length === 0) return 0;
  return measured.reduce((a, b) => a + b, 0) / measured.length;
}

/** Is the trial good? (§4.4: equality, or strictly better by more than the margin.) */
export function trialGood(before: number, after: number, p: IocmParams): boolean {
  return (p.acceptOnEqual && after === before) || after > before + p.acceptMargin;
}

/** §4.4 — applies the verdict of a finished trial of move `m` to the state; returns it. */
export function judgeTrial(s: RegretState, m: IocmMove, before: number, after: number, p: IocmParams): boolean {
  if (trialGood(before, after, p)) {
    s.lastGood = s.epoch;
    s.req = {};
    s.failed = {};
    return true;
  }
  const f = s.failed[m];
  const cap = p.initialPenalty * p.maxPenaltyFactor;
  const penalty = f === undefined ? p.initialPenalty : Math.min(f.penalty * p.penaltyFactor, cap);
  s.failed[m] = { penalty, lastFailed: s.epoch };
  return false;
}
