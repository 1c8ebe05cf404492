/**
 * The wrappers every registered env goes through, and the episode bookkeeping ones, after
 * Gymnasium's `wrappers/common.py`: TimeLimit, OrderEnforcing, PassiveEnvChecker,
 * RecordEpisodeStatistics, Autoreset.
 */
import type { Env, ResetArgs, ResetResult, StepResult } from '../env.js';
import { checkResetReturn, checkSpacesDeclared, checkStepReturn } from '../passive-checks.js';
import type { EnvSpec, WrapperSpec } from '../registry.js';
import { Wrapper } from './wrapper.js';

/** Sets `truncated` once `maxEpisodeSteps` steps have been taken since the last reset. */
export class TimeLimit<O, A> extends Wrapper<O, A> {
  private elapsed: number | undefined;

  constructor(env: Env<O, A>, readonly maxEpisodeSteps: number) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0) {
      throw new Error(`TimeLimit: maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
    }
  }

  /** The inner env's spec with this wrapper's step limit (Gymnasium: `TimeLimit(env, 10).spec.max_episode_steps == 10`). */
  override get spec(): EnvSpec | undefined {
    const inner = this.env.spec;
    return inner && inner.maxEpisodeSteps !== this.maxEpisodeSteps ? inner.with({ maxEpisodeSteps: this.maxEpisodeSteps }) : inner;
  }

  override set spec(s: EnvSpec | undefined) {
    this.env.spec = s;
  }

  /** Steps taken in the current episode. */
  get elapsedSteps(): number | undefined {
    return this.elapsed;
  }

  override reset(args?: ResetArgs): ResetResult<O> {
    this.elapsed = 0;
    return this.env.reset(args);
  }

  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    this.elapsed = (this.elapsed ?? 0) + 1;
    if (this.elapsed >= this.maxEpisodeSteps) r.truncated = true;
    return r;
  }

  protected override getOwnState(): unknown {
    return this.elapsed ?? null;
  }

  protected override setOwnState(s: unknown): void {
    this.elapsed = s === null ? undefined : (s as number);
  }
}

/** Refuses `step` and `render` before the first `reset`. */
export class OrderEnforcing<O, A> extends Wrapper<O, A> {
  private didReset = false;

  constructor(env: Env<O, A>, readonly disableRenderOrderEnforcing = false) {
    super(env);
  }

  /** Whether `reset` has been called (Gymnasium's `has_reset`). */
  get hasReset(): boolean {
    return this.didReset;
  }

  override reset(args?: ResetArgs): ResetResult<O> {
    this.didReset = true;
    return this.env.reset(args);
  }

  override step(action: A): StepResult<O> {
    if (!this.didReset) throw new Error('Cannot call env.step() before calling env.reset()');
    return this.env.step(action);
  }

  override render(): string | undefined {
    if (!this.disableRenderOrderEnforcing && !this.didReset) {
      throw new Error('Cannot call env.render() before calling env.reset(); set disableRenderOrderEnforcing to allow it');
    }
    return this.env.render();
  }

  protected override getOwnState(): unknown {
    return this.didReset;
  }

  protected override setOwnState(s: unknown): void {
    this.didReset = s === true;
  }
}

/**
 * Checks the first reset and the first step against the API (types, spaces, finite reward), raising on
 * what cannot work and warning on the rest; later calls pass straight through.
 */
export class PassiveEnvChecker<O, A> extends Wrapper<O, A> {
  private checkedReset = false;
  private checkedStep = false;

  /** Refuses at once an env without proper spaces (Gymnasium's PassiveEnvChecker asserts them first). */
  constructor(env: Env<O, A>) {
    super(env);
    checkSpacesDeclared(env);
  }

  override reset(args?: ResetArgs): ResetResult<O> {
    const r = this.env.reset(args);
    if (!this.checkedReset) {
      checkResetReturn(this.env, r);
      this.checkedReset = true;
    }
    return r;
  }

  override step(action: A): StepResult<O> {
    if (!this.checkedStep) {
      this.env.actionSpace.assertContains(action, 'action');
      const r = this.env.step(action);
      checkStepReturn(this.env, r);
      this.checkedStep = true;
      return r;
    }
    return this.env.step(action);
  }
}

/** Episode statistics: `info.episode = {r, l, t}` on the last step of an episode, and rolling queues. */
export interface EpisodeStats {
  /** Return (sum of rewards). */
  r: number;
  /** Length in steps. */
  l: number;
  /** Wall time in seconds since the episode's reset. */
  t: number;
}

export class RecordEpisodeStatistics<O, A> extends Wrapper<O, A> {
  private ret = 0;
  private len = 0;
  private t0 = 0;
  readonly returnQueue: number[] = [];
  readonly lengthQueue: number[] = [];
  readonly timeQueue: number[] = [];

  constructor(env: Env<O, A>, readonly bufferLength = 100, readonly statsKey = 'episode') {
    super(env);
  }

  protected override recordedAs(): WrapperSpec {
    return { name: 'RecordEpisodeStatistics', kwargs: { bufferLength: this.bufferLength, statsKey: this.statsKey } };
  }

  override reset(args?: ResetArgs): ResetResult<O> {
    this.ret = 0;
    this.len = 0;
    this.t0 = performance.now();
    return this.env.reset(args);
  }

  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    this.ret += r.reward;
    this.len += 1;
    if (r.terminated || r.truncated) {
      if (this.statsKey in r.info) throw new Error(`RecordEpisodeStatistics: info already has key ${JSON.stringify(this.statsKey)}`);
      // seconds to 6 decimals, as Gymnasium's round(time.perf_counter() - start, 6)
      const t = Math.round((performance.now() - this.t0) * 1000) / 1e6;
      const stats: EpisodeStats = { r: this.ret, l: this.len, t };
      r.info = { ...r.info, [this.statsKey]: stats };
      for (const [q, v] of [[this.returnQueue, stats.r], [this.lengthQueue, stats.l], [this.timeQueue, stats.t]] as const) {
        q.push(v);
        if (q.length > this.bufferLength) q.shift();
      }
    }
    return r;
  }

  protected override getOwnState(): unknown {
    return { ret: this.ret, len: this.len };
  }

  protected override setOwnState(s: unknown): void {
    const o = s as { ret: number; len: number };
    this.ret = o.ret;
    this.len = o.len;
  }
}

/**
 * Resets the env on the step after an episode ended (Gymnasium's next-step autoreset): that step
 * returns the first observation of the new episode with reward 0 and both flags false, and its action
 * is ignored. That transition is not part of any episode and must not be learned from.
 */
export class Autoreset<O, A> extends Wrapper<O, A> {
  private needsReset = false;

  protected override recordedAs(): WrapperSpec {
    return { name: 'Autoreset', kwargs: {} };
  }

  override reset(args?: ResetArgs): ResetResult<O> {
    this.needsReset = false;
    return this.env.reset(args);
  }

  override step(action: A): StepResult<O> {
    if (this.needsReset) {
      const r = this.env.reset();
      this.needsReset = false;
      return { obs: r.obs, reward: 0, terminated: false, truncated: false, info: r.info };
    }
    const r = this.env.step(action);
    this.needsReset = r.terminated || r.truncated;
    return r;
  }

  protected override getOwnState(): unknown {
    return this.needsReset;
  }

  protected override setOwnState(s: unknown): void {
    this.needsReset = s === true;
  }
}
