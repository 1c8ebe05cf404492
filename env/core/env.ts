/**
 * The environment contract, after Gymnasium 1.x `gymnasium.Env` (core.py).
 *
 * * `reset({seed, options}) → {obs, info}` and `step(a) → {obs, reward, terminated, truncated, info}`.
 *   `terminated`: an MDP terminal state was reached (do not bootstrap); `truncated`: the episode was cut
 *   for a reason outside the MDP, e.g. a time limit (do bootstrap).
 * * Seeding as Gymnasium: `reset({seed})` re-seeds `npRandom` even if it exists; `reset()` without a seed
 *   keeps the stream. Seeds are non-negative integers. Spaces own separate generators.
 * * Returned observations are fresh values: an env never hands out a buffer it keeps writing into
 *   (`checkEnv` tests this; `docs/anchors.md` §1).
 * * `close()` is idempotent. `getState()/setState()` (optional) snapshot the whole env, RNG included,
 *   so that a restored env has an identical future.
 */
import { Rng, assertSeed } from './rng.js';
import type { Space } from './spaces/space.js';
import type { EnvSpec } from './registry.js';

export type Info = Record<string, unknown>;

/**
 * How a vector env resets finished sub-envs (Gymnasium's `AutoresetMode` enum): a value to compare
 * against at run time (`AutoresetMode.NEXT_STEP`), and the type of its values.
 */
export const AutoresetMode = { NEXT_STEP: 'next_step', SAME_STEP: 'same_step', DISABLED: 'disabled' } as const;
export type AutoresetMode = (typeof AutoresetMode)[keyof typeof AutoresetMode];

export interface EnvMetadata {
  renderModes: readonly string[];
  renderFps?: number;
  autoresetMode: AutoresetMode;
}

export interface ResetArgs {
  seed?: number;
  options?: Record<string, unknown>;
}

export interface ResetResult<O> {
  obs: O;
  info: Info;
}

export interface StepResult<O> {
  obs: O;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

export abstract class Env<O = unknown, A = unknown> {
  abstract readonly actionSpace: Space<A>;
  abstract readonly observationSpace: Space<O>;
  // Accessors over private fields, so that wrappers can forward them to the env they wrap.
  private meta: EnvMetadata = { renderModes: [], autoresetMode: 'next_step' };
  private mode: string | undefined = undefined;
  private envSpec: EnvSpec | undefined = undefined;

  get metadata(): EnvMetadata {
    return this.meta;
  }

  set metadata(m: EnvMetadata) {
    this.meta = m;
  }

  /** Fixed at construction; must be one of `metadata.renderModes`. */
  get renderMode(): string | undefined {
    return this.mode;
  }

  set renderMode(m: string | undefined) {
    this.mode = m;
  }

  /** Set by `make`: how this env was built. */
  get spec(): EnvSpec | undefined {
    return this.envSpec;
  }

  set spec(s: EnvSpec | undefined) {
    this.envSpec = s;
  }

  private rng: Rng | undefined;

  /** The env's own generator, created from OS entropy on first use when never seeded. */
  get npRandom(): Rng {
    if (!this.rng) this.rng = Rng.fromSeed();
    return this.rng;
  }

  set npRandom(rng: Rng) {
    this.rng = rng;
  }

  /** The seed of `npRandom`, or -1 when the generator was assigned directly or restored. */
  get npRandomSeed(): number {
    return this.npRandom.seed;
  }

  /**
   * Subclasses call this first in `reset` (Gymnasium's `super().reset(seed=seed)`): a given seed
   * re-seeds, no seed keeps the current stream.
   */
  protected seedReset(seed: number | undefined): void {
    assertSeed(seed);
    if (seed !== undefined) this.rng = Rng.fromSeed(seed);
  }

  abstract reset(args?: ResetArgs): ResetResult<O>;
  abstract step(action: A): StepResult<O>;

  /** Renders in `renderMode` (`ansi` → a string); undefined when the env has no render mode. */
  render(): string | undefined {
    return undefined;
  }

  close(): void {}

  /** The innermost env under any wrappers. */
  get unwrapped(): Env<unknown, unknown> {
    return this as Env<unknown, unknown>;
  }

  /** An exact, serialisable snapshot (optional capability). */
  getState?(): unknown;
  setState?(state: unknown): void;

  toString(): string {
    return `<${this.constructor.name}${this.spec ? `<${this.spec.id}>` : ''}>`;
  }
}

/** Typed-array or plain deep equality, used by checks and tests (NaN equals NaN). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
    const x = a as unknown as ArrayLike<number>, y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object), kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
