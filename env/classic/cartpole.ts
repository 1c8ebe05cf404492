/**
 * CartPole-v1, a port of Gymnasium 1.4's `classic_control/cartpole.py` that reproduces its transitions
 * (tested within 1e-12 against 200 transitions recorded from Gymnasium itself) and, because `npRandom`
 * is NumPy's PCG64, its seeded reset states bit for bit. It is the reference env on which the learned
 * agents are proven before they meet the side-core host.
 *
 * ## Description
 * A pole is attached by an un-actuated joint to a cart that moves along a frictionless track. The pole
 * starts upright; the goal is to balance it by pushing the cart left or right (Barto, Sutton and
 * Anderson, "Neuronlike adaptive elements that can solve difficult learning control problems", 1983).
 *
 * ## Action Space
 * `Discrete(2)`: 0 pushes the cart left, 1 pushes it right, with a fixed force of 10 N.
 *
 * ## Observation Space
 * `Box(float32, [4])`: cart position (±4.8), cart velocity (±∞), pole angle (±0.418 rad, 24°),
 * pole angular velocity (±∞). The episode ends well inside these bounds (±2.4, ±12°).
 *
 * ## Rewards
 * +1 for every step taken, including the terminating one (threshold 475 for v1). With
 * `suttonBartoReward: true`: 0 every step and −1 on termination.
 *
 * ## Starting State
 * Every state variable uniform in [−0.05, 0.05] (override with `options: {low, high}` in reset).
 *
 * ## Episode End
 * Terminated when |x| > 2.4 or |θ| > 12°; truncated after 500 steps (by `make`'s TimeLimit).
 *
 * ## Arguments
 * `make('CartPole-v1', { suttonBartoReward?: boolean, renderMode?: 'ansi' })`.
 *
 * ## Version History
 * * v1: Gymnasium's CartPole-v1 (500-step limit, threshold 475). The `ansi` render mode is ours;
 *   Gymnasium's pygame modes are not provided.
 */
import { z } from 'zod';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../core/env.js';
import { warn } from '../core/logger.js';
import type { RngState } from '../core/rng.js';
import { Rng } from '../core/rng.js';
import { Box } from '../core/spaces/box.js';
import { Discrete } from '../core/spaces/discrete.js';

export const cartPoleKwargs = z
  .object({
    suttonBartoReward: z.boolean().default(false),
    renderMode: z.enum(['ansi']).optional(),
  })
  .strict();

export type CartPoleOptions = z.input<typeof cartPoleKwargs>;

export interface CartPoleState {
  state: number[] | null;
  stepsBeyondTerminated: number | null;
  rng: RngState;
}

export class CartPoleEnv extends Env<Float32Array, number> {
  readonly gravity = 9.8;
  readonly masscart = 1.0;
  readonly masspole = 0.1;
  readonly totalMass = this.masspole + this.masscart;
  readonly length = 0.5; // actually half the pole's length
  readonly polemassLength = this.masspole * this.length;
  readonly forceMag = 10.0;
  readonly tau = 0.02; // seconds between state updates
  readonly thetaThresholdRadians = (12 * 2 * Math.PI) / 360;
  readonly xThreshold = 2.4;

  readonly actionSpace = new Discrete(2);
  readonly observationSpace: Box<'float32'>;
  private readonly suttonBartoReward: boolean;

  // x, x_dot, theta, theta_dot in float64, as Gymnasium keeps them; observations are float32 copies.
  private state: Float64Array | null = null;
  private stepsBeyondTerminated: number | null = null;

  constructor(options: CartPoleOptions = {}) {
    super();
    const o = cartPoleKwargs.parse(options);
    this.suttonBartoReward = o.suttonBartoReward;
    this.metadata = { renderModes: ['ansi'], renderFps: 50, autoresetMode: 'next_step' };
    this.renderMode = o.renderMode;
    // Gymnasium's bounds: the velocities are unbounded (np.inf), so the space samples them from a normal.
    const high = [this.xThreshold * 2, Infinity, this.thetaThresholdRadians * 2, Infinity];
    this.observationSpace = new Box(high.map((h) => -h), high, [4], 'float32');
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedReset(args.seed);
    const low = numberOption(args.options, 'low', -0.05);
    const high = numberOption(args.options, 'high', 0.05);
    if (!(low <= high)) throw new Error(`CartPole reset: low (${low}) must not exceed high (${high})`);
    const rng = this.npRandom;
    const s = new Float64Array(4);
    for (let i = 0; i < 4; i++) s[i] = rng.uniform(low, high);
    this.state = s;
    this.stepsBeyondTerminated = null;
    return { obs: Float32Array.from(s), info: {} };
  }

  override step(action: number): StepResult<Float32Array> {
    if (action !== 0 && action !== 1) throw new Error(`CartPole: action ${JSON.stringify(action)} is not in Discrete(2)`);
    const s = this.state;
    if (!s) throw new Error('CartPole: call reset before step');
    const x = s[0]!, xDot = s[1]!, theta = s[2]!, thetaDot = s[3]!;
    const force = action === 1 ? this.forceMag : -this.forceMag;
    const costheta = Math.cos(theta), sintheta = Math.sin(theta);
    // Same operation order as Gymnasium, so rounding matches: (polemass_length * θ̇²) * sin θ.
    const temp = (force + this.polemassLength * (thetaDot * thetaDot) * sintheta) / this.totalMass;
    const thetaacc = (this.gravity * sintheta - costheta * temp) / (this.length * (4.0 / 3.0 - (this.masspole * (costheta * costheta)) / this.totalMass));
    const xacc = temp - (this.polemassLength * thetaacc * costheta) / this.totalMass;
    s[0] = x + this.tau * xDot;
    s[1] = xDot + this.tau * xacc;
    s[2] = theta + this.tau * thetaDot;
    s[3] = thetaDot + this.tau * thetaacc;
    const terminated = s[0]! < -this.xThreshold || s[0]! > this.xThreshold || s[2]! < -this.thetaThresholdRadians || s[2]! > this.thetaThresholdRadians;
    let reward: number;
    if (!terminated) {
      reward = this.suttonBartoReward ? 0.0 : 1.0;
    } else if (this.stepsBeyondTerminated === null) {
      this.stepsBeyondTerminated = 0; // the pole just fell
      reward = this.suttonBartoReward ? -1.0 : 1.0;
    } else {
      if (this.stepsBeyondTerminated === 0) {
        warn('CartPole: step() called after the episode terminated; call reset(). Further steps are undefined behaviour.');
      }
      this.stepsBeyondTerminated += 1;
      reward = this.suttonBartoReward ? -1.0 : 0.0;
    }
    return { obs: Float32Array.from(s), reward, terminated, truncated: false, info: {} };
  }

  override render(): string | undefined {
    if (this.renderMode !== 'ansi') {
      // as Gymnasium's CartPole: rendering without a render mode does nothing, and says so
      warn('You are calling render method without specifying any render mode. You can specify the renderMode at initialization, e.g. make(\'CartPole-v1\', { renderMode: \'ansi\' })');
      return undefined;
    }
    if (!this.state) return '(not reset)';
    const [x, , theta] = this.state;
    const width = 41, pos = Math.round(((x! + this.xThreshold) / (2 * this.xThreshold)) * (width - 1));
    const track = Array.from({ length: width }, (_, i) => (i === Math.max(0, Math.min(width - 1, pos)) ? '#' : '-')).join('');
    return `|${track}|  x=${x!.toFixed(3)}  θ=${((theta! * 180) / Math.PI).toFixed(2)}°`;
  }

  override getState(): CartPoleState {
    return { state: this.state ? Array.from(this.state) : null, stepsBeyondTerminated: this.stepsBeyondTerminated, rng: this.npRandom.getState() };
  }

  override setState(st: unknown): void {
    const s = st as CartPoleState;
    this.state = s.state ? Float64Array.from(s.state) : null;
    this.stepsBeyondTerminated = s.stepsBeyondTerminated;
    this.npRandom = Rng.fromState(s.rng);
  }
}

function numberOption(options: Record<string, unknown> | undefined, key: string, dflt: number): number {
  const v = options?.[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`reset option ${key} must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}
