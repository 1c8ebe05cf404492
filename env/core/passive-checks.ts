/**
 * The passive API checks (Gymnasium `utils/passive_env_checker.py`), shared by `PassiveEnvChecker`
 * (first reset/step of every `make`d env) and `checkEnv`. Broken contracts throw; doubtful ones warn.
 */
import type { Env, ResetResult, StepResult } from './env.js';
import { warn } from './logger.js';
import { Space, describeValue } from './spaces/space.js';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

/** The env declares an observation and an action space, both instances of Space. */
export function checkSpacesDeclared(env: Env<unknown, unknown>): void {
  for (const [name, s] of [['observation', env.observationSpace], ['action', env.actionSpace]] as const) {
    if (s === undefined || s === null) throw new Error(`The environment must specify an ${name} space (${name}Space)`);
    if (!(s instanceof Space)) throw new Error(`The environment's ${name}Space must be a Space, got ${describeValue(s)}`);
  }
}

export function checkObs(env: Env<unknown, unknown>, obs: unknown, where: string): void {
  if (!env.observationSpace.contains(obs)) {
    throw new Error(`${where}: the observation ${describeValue(obs)} is not in the observation space ${env.observationSpace}`);
  }
  if (ArrayBuffer.isView(obs)) {
    const a = obs as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i]!)) warn(`${where}: the observation contains NaN`);
  }
}

export function checkResetReturn(env: Env<unknown, unknown>, r: ResetResult<unknown>): void {
  if (!isRecord(r) || !('obs' in r) || !('info' in r)) throw new Error('reset() must return {obs, info}');
  if (!isRecord(r.info)) throw new Error(`reset(): info must be a plain object, got ${describeValue(r.info)}`);
  checkObs(env, r.obs, 'reset()');
}

export function checkStepReturn(env: Env<unknown, unknown>, r: StepResult<unknown>): void {
  if (!isRecord(r)) throw new Error('step() must return {obs, reward, terminated, truncated, info}');
  for (const k of ['obs', 'reward', 'terminated', 'truncated', 'info'] as const) {
    if (!(k in r)) throw new Error(`step() result is missing "${k}"`);
  }
  if (typeof r.terminated !== 'boolean') throw new Error(`step(): terminated must be a boolean, got ${describeValue(r.terminated)}`);
  if (typeof r.truncated !== 'boolean') throw new Error(`step(): truncated must be a boolean, got ${describeValue(r.truncated)}`);
  if (typeof r.reward !== 'number') throw new Error(`step(): reward must be a number, got ${describeValue(r.reward)}`);
  if (!Number.isFinite(r.reward)) warn(`step(): the reward is ${r.reward}`);
  if (!isRecord(r.info)) throw new Error(`step(): info must be a plain object, got ${describeValue(r.info)}`);
  checkObs(env, r.obs, 'step()');
}
