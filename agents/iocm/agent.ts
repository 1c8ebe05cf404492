/**
 * `iocm` — the IOcm heuristic as an {@link Agent} of the SideCore env (`docs/iocm-policy.md`;
 * the policy itself lives in `policy.ts`, its statistics in `stats.ts`, its regret layer in `regret.ts`).
 *
 * Action mode: **absolute**. The action is the target I/O-core count 0 … maxIoCores (0 = baseline;
 * 0 → k starts side-core mode with k cores, k → 0 returns to baseline). IOcm needs this because its
 * start jumps from baseline straight to k = max(⌊effective_io_ratio / 2⌋, 1) cores (§3.2), which the
 * default {no-op, add, remove} action set cannot express in one step. Run the SideCore env in its
 * `absolute` action mode; with the default mode its actions would be misread.
 *
 * Step semantics: one env step = one 0.1 s epoch, and `info.counters` (`EpochCounters`) holds the interval
 * just finished — the only input the agent reads, as the real manager reads only its own counters. The
 * blocking 1 s trial of §4.4 is played out over the next 10 steps: the agent holds the new count, takes
 * B/C of each step as a trial sample, and on the 10th returns either the new count (accepted) or the
 * previous one (revert). Epoch-based windows (lock, request histories, penalties) count only non-trial
 * steps, as in the original.
 *
 * Reset: `info` without counters (a reset before any epoch ran) is not an epoch; the agent holds the
 * current count (`info.ioCores`, else 0). If the env's reset info carries counters of a warm-up epoch,
 * they count as epoch 1 (the original's first epoch also covers start-up time, §2).
 */
import type { Agent } from '../agent.js';
import type { Info } from '../../env/core/env.js';
import type { EpochCounters } from '../../env/index.js';
import { type IocmParams, parseIocmParams } from './params.js';
import { type IocmDecision, type IocmPolicyState, IocmPolicy } from './policy.js';

const NUMERIC_FIELDS = [
  'tscCycles', 'workerWorkCycles', 'vqBytes', 'handledBytes', 'handledPackets', 'vhostCpuNs', 'wallNs',
  'workerThreads', 'ioCores',
] as const;

/** Narrows `info.counters` to `EpochCounters` (the fields the policy reads). */
export function isEpochCounters(x: unknown): x is EpochCounters {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return NUMERIC_FIELDS.every((k) => typeof r[k] === 'number')
    && Array.isArray(r.vmCoreIdleNs) && r.vmCoreIdleNs.every((v) => typeof v === 'number');
}

function numberField(info: Info, key: string): number | undefined {
  const v = info[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export class IocmAgent implements Agent<unknown, number> {
  readonly policy: IocmPolicy;
  /** IOcm jumps from the baseline to k cores at once (see above). */
  readonly actionMode = 'absolute' as const;
  /** The last decision (for logs and traces); null before the first epoch. */
  lastDecision: IocmDecision | null = null;

  /** `preset`: the named preset the params came from (`params.ts` IOCM_PRESETS), for the run record. */
  constructor(readonly params: IocmParams, readonly spec: string = 'iocm', readonly preset?: string) {
    this.policy = new IocmPolicy(params);
  }

  /** A new episode is a freshly started manager (§1: start-up, epoch 0). The policy is deterministic. */
  reset(_seed?: number): void {
    this.policy.reset();
    this.lastDecision = null;
  }

  act(_obs: unknown, info: Info): number {
    const counters = info.counters;
    if (counters === undefined) {
      // No epoch has run yet: hold whatever is in place (or the trial's target, defensively).
      return this.policy.getState().trial?.to ?? numberField(info, 'ioCores') ?? 0;
    }
    if (!isEpochCounters(counters)) {
      throw new Error('iocm: info.counters is not an EpochCounters record (env/sim/counters.ts)');
    }
    const maxIoCores = numberField(info, 'maxIoCores');
    this.lastDecision = this.policy.onEpoch(counters, maxIoCores === undefined ? {} : { maxIoCores });
    return this.lastDecision.target;
  }

  describe(): Record<string, unknown> {
    return {
      agent: 'iocm',
      spec: this.spec,
      source: 'mikelangelo-project/dynamic-io-manager@eecb876 (iocm-policy.md)',
      actionMode: 'absolute',
      bugCompatible: this.params.bugCompatible,
      // only with a preset, so that the records of the default agent stay as they were
      ...(this.preset === undefined ? {} : { preset: this.preset }),
      params: { ...this.params },
    };
  }

  getState(): IocmPolicyState {
    return this.policy.getState();
  }

  setState(s: IocmPolicyState): void {
    this.policy.setState(s);
  }
}

/**
 * Factory for the agent-spec parser: `iocm` → `createIocmAgent()`, `iocm:a=1,b=2` →
 * `createIocmAgent({a: '1', b: '2'}, 'iocm:a=1,b=2')`. Throws a one-line error on a bad parameter.
 */
export function createIocmAgent(params: Record<string, string> = {}, spec?: string): IocmAgent {
  const parsed = parseIocmParams(params);
  const entries = Object.entries(params);
  const name = spec ?? (entries.length === 0 ? 'iocm' : `iocm:${entries.map(([k, v]) => `${k}=${v}`).join(',')}`);
  return new IocmAgent(parsed, name, params.preset?.trim());
}
