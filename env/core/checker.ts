/**
 * `checkEnv(env)`: Gymnasium's env checker (`utils/env_checker.py`) plus two checks Gymnasium lacks:
 * * fresh buffers: a returned observation never aliases a buffer the env keeps (`docs/anchors.md` §1:
 *   an aliasing env passes its determinism checks by comparing an array with itself); and
 * * where `getState` exists, a restored env has an identical future, also after a structured clone.
 * Broken contracts throw an Error naming the check; doubtful points are returned as warnings.
 */
import { Env, deepEqual, type Info, type StepResult } from './env.js';
import { captureWarnings, warn } from './logger.js';
import { checkResetReturn, checkSpacesDeclared, checkStepReturn } from './passive-checks.js';
import { make } from './registry.js';
import { Box, Discrete, type Space } from './spaces/index.js';

export interface CheckEnvOptions {
  skipRenderCheck?: boolean;
  skipCloseCheck?: boolean;
  /** Steps run before and after a snapshot in the getState check. */
  stateSteps?: number;
}

type AnyEnv = Env<unknown, unknown>;

function fail(check: string, msg: string): never {
  throw new Error(`checkEnv [${check}]: ${msg}`);
}

/** A valid action for the current state: honours `info.actionMask` for Discrete action spaces. */
export function sampleAction(space: Space<unknown>, info: Info): unknown {
  const mask = info.actionMask;
  if (space instanceof Discrete && mask && ArrayBuffer.isView(mask)) return space.sample({ mask: mask as unknown as ArrayLike<number> });
  return space.sample();
}

function rngState(env: AnyEnv): string {
  return JSON.stringify(env.unwrapped.npRandom.getState());
}

function checkSpaces(env: AnyEnv): void {
  if (!(env instanceof Env)) fail('env', `the environment must extend Env, got ${String(env)}`);
  try {
    checkSpacesDeclared(env);
  } catch (e) {
    fail('spaces', (e as Error).message);
  }
  const { observationSpace: obs, actionSpace: act } = env;
  if (obs instanceof Box) {
    for (let i = 0; i < obs.size; i++) if (obs.low[i] === obs.high[i]) warn(`observation space bound ${i} has low == high`);
  }
  // Gymnasium's check_space_limit, for one-dimensional real action boxes: each coordinate should be
  // [0, h] or symmetric [-h, h], inside [-1, 1].
  if (act instanceof Box && (act.dtype === 'float32' || act.dtype === 'float64') && act.shape.length === 1) {
    const odd = Array.from(act.low).some((l, i) => (l !== 0 && Math.abs(l) !== Math.abs(act.high[i]!)) || l < -1 || act.high[i]! > 1);
    if (odd) warn('the Box action space is not normalised to [-1, 1] or [0, 1]; learners usually expect that');
  }
}

function checkResetSeeding(env: AnyEnv): void {
  const r1 = env.reset({ seed: 123 });
  checkResetReturn(env, r1);
  const rng123 = rngState(env);
  if (env.unwrapped.npRandomSeed !== 123) fail('reset-seed', `after reset({seed: 123}) npRandomSeed is ${env.unwrapped.npRandomSeed}`);
  const r2 = env.reset();
  if (env.unwrapped.npRandomSeed !== 123) fail('reset-seed', 'reset() without a seed re-seeded the env');
  const r3 = env.reset({ seed: 123 });
  if (!deepEqual(r1.obs, r3.obs)) fail('reset-seed', 'reset({seed: 123}) twice gave different observations');
  if (rngState(env) !== rng123) fail('reset-seed', 'reset({seed: 123}) twice left different RNG states');
  const r4 = env.reset();
  if (!deepEqual(r2.obs, r4.obs)) fail('reset-seed', 'an unseeded reset after a seeded one is not deterministic');
  const r5 = env.reset({ seed: 456 });
  if (deepEqual(r1.obs, r5.obs)) warn('reset with seeds 123 and 456 gave the same observation');
  if (rngState(env) === rng123) fail('reset-seed', 'different seeds gave the same RNG state');
  env.reset({ seed: 123, options: {} });
}

function stepWith(env: AnyEnv, seed: number, action: unknown): StepResult<unknown> {
  env.reset({ seed });
  return env.step(action);
}

function checkStepDeterminism(env: AnyEnv): void {
  const { info } = env.reset({ seed: 123 });
  env.actionSpace.seed(123);
  const action = sampleAction(env.actionSpace, info);
  const a = stepWith(env, 123, action);
  checkStepReturn(env, a);
  const stateA = rngState(env);
  const b = stepWith(env, 123, action);
  if (!deepEqual(a.obs, b.obs)) fail('step-determinism', 'the same seed and action gave different observations');
  if (!Object.is(a.reward, b.reward)) fail('step-determinism', `the same seed and action gave rewards ${a.reward} and ${b.reward}`);
  if (a.terminated !== b.terminated || a.truncated !== b.truncated) fail('step-determinism', 'the same seed and action gave different flags');
  if (!deepEqual(a.info, b.info)) fail('step-determinism', 'the same seed and action gave different infos');
  if (rngState(env) !== stateA) fail('step-determinism', 'the same seed and action left different RNG states');
}

/** Overwrites a returned observation in place (the env must not be affected). */
function tamper(x: unknown): void {
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) (x as unknown as { fill(v: number): void }).fill(0);
  else if (Array.isArray(x)) x.forEach((v) => tamper(v));
  else if (typeof x === 'object' && x !== null) Object.values(x).forEach((v) => tamper(v));
}

/** A deep copy in this realm (structuredClone would give typed arrays of another realm under jest). */
function copyValue(x: unknown): unknown {
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return (x as unknown as { slice(): unknown }).slice();
  if (Array.isArray(x)) return x.map(copyValue);
  if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, copyValue(v)]));
  return x;
}

function buffersOf(x: unknown, out: ArrayBufferLike[] = []): ArrayBufferLike[] {
  if (ArrayBuffer.isView(x)) out.push(x.buffer);
  else if (Array.isArray(x)) x.forEach((v) => buffersOf(v, out));
  else if (typeof x === 'object' && x !== null) Object.values(x).forEach((v) => buffersOf(v, out));
  return out;
}

function rollout(env: AnyEnv, seed: number, n: number, tamperEach: boolean): StepResult<unknown>[] {
  const r = env.reset({ seed });
  env.actionSpace.seed(seed);
  let info = r.info;
  const out: StepResult<unknown>[] = [];
  if (tamperEach) tamper(r.obs);
  for (let i = 0; i < n; i++) {
    const s = env.step(sampleAction(env.actionSpace, info));
    out.push(tamperEach ? { ...s, obs: copyValue(s.obs) } : s);
    if (tamperEach) tamper(s.obs);
    info = s.info;
    if (s.terminated || s.truncated) break;
  }
  return out;
}

function checkFreshBuffers(env: AnyEnv): void {
  const r0 = env.reset({ seed: 7 });
  const r = env.reset({ seed: 7 });
  if (buffersOf(r.obs).some((b) => buffersOf(r0.obs).includes(b))) fail('fresh-buffers', 'two resets returned observations sharing one buffer');
  const s1 = env.step(sampleAction(env.actionSpace, r.info));
  const s2 = s1.terminated || s1.truncated ? env.reset({ seed: 8 }) : env.step(sampleAction(env.actionSpace, s1.info));
  const b0 = buffersOf(r.obs), b1 = buffersOf(s1.obs), b2 = buffersOf(s2.obs);
  for (const b of b1) if (b0.includes(b) || b2.includes(b)) fail('fresh-buffers', 'two calls returned observations sharing one buffer');
  const clean = rollout(env, 11, 20, false);
  const dirty = rollout(env, 11, 20, true);
  if (clean.length !== dirty.length || clean.some((c, i) => !deepEqual(c.obs, dirty[i]!.obs) || !Object.is(c.reward, dirty[i]!.reward))) {
    fail('fresh-buffers', 'overwriting a returned observation changed what the env did next (it aliases internal state)');
  }
}

function checkStateRestore(env: AnyEnv, n: number): void {
  const u = env.unwrapped;
  if (!u.getState || !u.setState) return;
  const r = u.reset({ seed: 3 });
  u.actionSpace.seed(3);
  let info = r.info;
  for (let i = 0; i < n; i++) {
    const s = u.step(sampleAction(u.actionSpace, info));
    info = s.info;
    if (s.terminated || s.truncated) break;
  }
  const snap = u.getState();
  const cloned = structuredClone(snap);
  const actions: unknown[] = [];
  const future = (record: boolean): StepResult<unknown>[] => {
    const out: StepResult<unknown>[] = [];
    let inf = info;
    for (let i = 0; i < n; i++) {
      const a = record ? sampleAction(u.actionSpace, inf) : actions[i];
      if (record) actions.push(a);
      if (a === undefined) break;
      const s = u.step(a);
      out.push(s);
      inf = s.info;
      if (s.terminated || s.truncated) break;
    }
    return out;
  };
  const first = future(true);
  const rngAfter = rngState(u);
  for (const [label, state] of [['getState', snap], ['a structured clone of getState', cloned]] as const) {
    u.setState(state);
    const again = future(false);
    if (again.length !== first.length || again.some((s, i) => !deepEqual(s, first[i]))) {
      fail('state-restore', `an env restored from ${label} did not reproduce its future`);
    }
    if (rngState(u) !== rngAfter) fail('state-restore', `an env restored from ${label} ended with a different RNG state`);
  }
}

function checkRender(env: AnyEnv): void {
  const spec = env.spec;
  for (const mode of env.metadata.renderModes) {
    if (!spec) {
      warn('render check skipped: the env has no spec (build it with make)');
      return;
    }
    const e = make(spec, {}, { renderMode: mode });
    e.reset({ seed: 0 });
    const out = e.render();
    if (mode === 'ansi' && typeof out !== 'string') fail('render', `render() in mode "ansi" returned ${typeof out}, expected a string`);
    e.close();
  }
}

/** Runs every check; returns the warnings raised. Throws on the first broken contract. */
export function checkEnv(env: AnyEnv, opts: CheckEnvOptions = {}): string[] {
  const { warnings } = captureWarnings(() => {
    if (env.unwrapped !== env) warn('checkEnv was given a wrapped env; the checks run through the wrappers');
    checkSpaces(env);
    checkResetSeeding(env);
    checkStepDeterminism(env);
    checkFreshBuffers(env);
    checkStateRestore(env, opts.stateSteps ?? 10);
    if (!opts.skipRenderCheck) checkRender(env);
    if (!opts.skipCloseCheck) {
      env.close();
      try {
        env.close();
      } catch (e) {
        fail('close', `calling close() twice threw: ${(e as Error).message}`);
      }
    }
  });
  return warnings;
}
