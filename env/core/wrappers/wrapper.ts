/**
 * Wrapper base classes, after Gymnasium's `Wrapper`, `ObservationWrapper`, `ActionWrapper` and
 * `RewardWrapper`. A wrapper forwards everything to the env it wraps unless it overrides it, exposes
 * the innermost env as `unwrapped`, and snapshots its own state together with the inner env's.
 */
import { Env, type EnvMetadata, type Info, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import type { Space } from '../spaces/space.js';
import type { Rng } from '../rng.js';
import type { EnvSpec, WrapperSpec } from '../registry.js';

/** The snapshot of a wrapped env: the inner env's state and the wrapper's own. */
export interface WrapperState {
  inner: unknown;
  own?: unknown;
}

export class Wrapper<O, A, WO = O, WA = A> extends Env<WO, WA> {
  constructor(readonly env: Env<O, A>) {
    super();
  }

  // Spaces default to the inner env's; wrappers that change them override these getters.
  get actionSpace(): Space<WA> {
    return this.env.actionSpace as unknown as Space<WA>;
  }

  get observationSpace(): Space<WO> {
    return this.env.observationSpace as unknown as Space<WO>;
  }

  override get metadata(): EnvMetadata {
    return this.env.metadata;
  }

  override set metadata(m: EnvMetadata) {
    this.env.metadata = m;
  }

  override get renderMode(): string | undefined {
    return this.env.renderMode;
  }

  override set renderMode(m: string | undefined) {
    this.env.renderMode = m;
  }

  /**
   * The spec of the wrapped env, as Gymnasium's spec stack: the inner env's spec with this wrapper
   * appended to `additionalWrappers` when it records itself (`recordedAs`), so `make(env.spec)` builds
   * the same stack again.
   */
  override get spec(): EnvSpec | undefined {
    const inner = this.env.spec;
    const me = this.recordedAs();
    return inner && me ? inner.with({ additionalWrappers: [...inner.additionalWrappers, me] }) : inner;
  }

  /**
   * How this wrapper appears in a spec: its name (one that `make` can rebuild, see ./registered.ts) and
   * constructor kwargs as JSON. Undefined for wrappers that are not recorded: the ones `make` adds itself
   * and the ones holding functions, which JSON cannot carry.
   */
  protected recordedAs(): WrapperSpec | undefined {
    return this.recordedByMake;
  }

  private recordedByMake: WrapperSpec | undefined;

  /** Used by `make` for a wrapper it applied from a spec that does not record itself. */
  recordAs(w: WrapperSpec): void {
    this.recordedByMake = w;
  }

  override set spec(s: EnvSpec | undefined) {
    this.env.spec = s;
  }

  override get npRandom(): Rng {
    return this.env.npRandom;
  }

  override set npRandom(r: Rng) {
    this.env.npRandom = r;
  }

  override reset(args?: ResetArgs): ResetResult<WO> {
    return this.env.reset(args) as unknown as ResetResult<WO>;
  }

  override step(action: WA): StepResult<WO> {
    return this.env.step(action as unknown as A) as unknown as StepResult<WO>;
  }

  override render(): string | undefined {
    return this.env.render();
  }

  override close(): void {
    this.env.close();
  }

  override get unwrapped(): Env<unknown, unknown> {
    return this.env.unwrapped;
  }

  /** The wrapper's own part of a snapshot (none by default). */
  protected getOwnState(): unknown {
    return undefined;
  }

  protected setOwnState(_state: unknown): void {}

  override getState(): WrapperState {
    if (!this.env.getState) throw new Error(`${this.env} does not support getState`);
    return { inner: this.env.getState(), own: this.getOwnState() };
  }

  override setState(state: unknown): void {
    if (!this.env.setState) throw new Error(`${this.env} does not support setState`);
    if (typeof state !== 'object' || state === null || !('inner' in state)) {
      throw new Error(`${this}.setState: not the snapshot of a wrapped env (getState() of an env wrapped the same way gives {inner, own})`);
    }
    const s = state as WrapperState;
    this.env.setState(s.inner);
    this.setOwnState(s.own);
  }

  override toString(): string {
    return `<${this.constructor.name}${this.env.toString()}>`;
  }
}

/** Changes observations with `observation(obs)` on reset and step. */
export abstract class ObservationWrapper<O, A, WO> extends Wrapper<O, A, WO, A> {
  abstract observation(obs: O): WO;

  override reset(args?: ResetArgs): ResetResult<WO> {
    const r = this.env.reset(args);
    return { obs: this.observation(r.obs), info: r.info };
  }

  override step(action: A): StepResult<WO> {
    const r = this.env.step(action);
    return { ...r, obs: this.observation(r.obs) };
  }
}

/** Changes actions with `action(a)` before they reach the env. */
export abstract class ActionWrapper<O, A, WA> extends Wrapper<O, A, O, WA> {
  abstract action(a: WA): A;

  override step(action: WA): StepResult<O> {
    return this.env.step(this.action(action));
  }
}

/** Changes rewards with `reward(r)`. */
export abstract class RewardWrapper<O, A> extends Wrapper<O, A> {
  abstract reward(r: number): number;

  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    return { ...r, reward: this.reward(r.reward) };
  }
}

export type { Info };
