/**
 * A small configurable env for wrapper, checker and vector tests (Gymnasium's `GenericTestEnv`):
 * a counter that moves by the action, terminates at `terminateAt`, rewards the action taken.
 */
import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../../../env/core/env.js';
import { Rng } from '../../../env/core/rng.js';
import { Box } from '../../../env/core/spaces/box.js';
import { Discrete } from '../../../env/core/spaces/discrete.js';

export interface CounterOptions {
  terminateAt?: number;
  /** Return the same Float32Array every call (a bug checkEnv must catch). */
  aliasObs?: boolean;
  /** Return one Float32Array from every reset, fresh ones from steps (a bug checkEnv must catch). */
  aliasResetObs?: boolean;
  /** Ignore the seed (a bug checkEnv must catch). */
  ignoreSeed?: boolean;
  info?: (t: number) => Info;
}

export class CounterEnv extends Env<Float32Array, number> {
  readonly actionSpace = new Discrete(3);
  readonly observationSpace = new Box(-1000, 1000, [2], 'float32');
  t = 0;
  x = 0;
  private readonly buf = new Float32Array(2);

  constructor(readonly opts: CounterOptions = {}) {
    super();
    this.metadata = { renderModes: ['ansi'], autoresetMode: 'next_step' };
  }

  private obs(): Float32Array {
    const o = this.opts.aliasObs ? this.buf : new Float32Array(2);
    o[0] = this.x;
    o[1] = this.t;
    return o;
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedReset(this.opts.ignoreSeed ? undefined : args.seed);
    this.t = 0;
    this.x = this.npRandom.integers(-5, 6);
    if (this.opts.aliasResetObs) {
      this.buf[0] = this.x;
      this.buf[1] = 0;
      return { obs: this.buf, info: this.opts.info?.(0) ?? {} };
    }
    return { obs: this.obs(), info: this.opts.info?.(0) ?? {} };
  }

  override step(a: number): StepResult<Float32Array> {
    this.t += 1;
    // Uses the env's own stream, so snapshot tests see the RNG move.
    this.x += a - 1 + (this.npRandom.random() < 0.1 ? 1 : 0);
    const o = this.obs();
    if (this.opts.aliasObs) this.x = o[0]!; // the aliased buffer feeds back into the state
    return { obs: o, reward: a, terminated: this.opts.terminateAt !== undefined && this.t >= this.opts.terminateAt, truncated: false, info: this.opts.info?.(this.t) ?? {} };
  }

  override render(): string {
    return `x=${this.x} t=${this.t}`;
  }

  override getState(): unknown {
    return { t: this.t, x: this.x, rng: this.npRandom.getState() };
  }

  override setState(s: unknown): void {
    const o = s as { t: number; x: number; rng: ReturnType<Rng['getState']> };
    this.t = o.t;
    this.x = o.x;
    this.npRandom = Rng.fromState(o.rng);
  }
}
