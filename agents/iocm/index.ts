/**
 * The IOcm heuristic agent (`docs/iocm-policy.md`): parameters, statistics, regret layer,
 * policy state machine and the env adapter. See `agent.ts` for the action-mode contract.
 */
export {
  type IocmParams, DEFAULT_IOCM_PARAMS, BUG_COMPATIBLE_OVERRIDES, IOCM_PARAM_NAMES, IOCM_PRESETS, IOCM_PRESET_NAMES,
  iocmParams, parseIocmParams,
} from './params.js';
export {
  type IocmStats, type StatsCarry, computeStats, bytesPerCycle, emptyCapacity, initialCarry, quantise,
} from './stats.js';
export {
  type IocmMove, type RegretState, type RequestHistory, type FailureRecord, initialRegretState, beginEpoch, allowed,
  judgeTrial, trialBefore, trialAfter, trialGood,
} from './regret.js';
export {
  type HostView, type TrialState, type IocmPolicyState, type IocmEvent, type IocmDecision, IocmPolicy,
} from './policy.js';
export { IocmAgent, createIocmAgent, isEpochCounters } from './agent.js';
