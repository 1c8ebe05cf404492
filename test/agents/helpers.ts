/** Test envs for the learned agents: a tiny masked env that fails loudly on a masked action. */
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../../env/core/env.js';
import { Box, Discrete } from '../../env/core/spaces/index.js';

/**
 * Box(3) observations, Discrete(4) actions, a random 0/1 `info.actionMask` each step (never all zero).
 * Taking a masked action throws. Reward 1 for action 0 when allowed, else 0. Truncated after `horizon`
 * steps, never terminated (so learners must bootstrap through `final_obs`).
 */
export class MaskedEnv extends Env<Float32Array, number> {
  readonly actionSpace = new Discrete(4);
  readonly observationSpace = new Box(-1, 1, [3], 'float32');
  private mask = new Uint8Array(4);
  private t = 0;
  maskedTaken = 0;

  constructor(readonly horizon = 20) {
    super();
  }

  private draw(): { obs: Float32Array; info: { actionMask: Uint8Array } } {
    const rng = this.npRandom;
    const m = new Uint8Array(4);
    do for (let i = 0; i < 4; i++) m[i] = rng.random() < 0.5 ? 1 : 0;
    while (!m.some((x) => x === 1));
    this.mask = m;
    const obs = Float32Array.from([rng.uniform(-1, 1), m[0]!, m[1]! - m[2]!]);
    return { obs, info: { actionMask: Uint8Array.from(m) } };
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedReset(args.seed);
    this.t = 0;
    return this.draw();
  }

  override step(action: number): StepResult<Float32Array> {
    if (!this.mask[action]) {
      this.maskedTaken++;
      throw new Error(`MaskedEnv: action ${action} is masked (${Array.from(this.mask).join('')})`);
    }
    this.t++;
    const reward = action === 0 ? 1 : 0;
    const { obs, info } = this.draw();
    return { obs, reward, terminated: false, truncated: this.t >= this.horizon, info };
  }
}

/** A Discrete(5) chain: observation = position, action 1 moves right (reward 1 at the end), 0 left. */
export class ChainEnv extends Env<number, number> {
  readonly actionSpace = new Discrete(2);
  readonly observationSpace = new Discrete(5);
  private pos = 0;
  private t = 0;

  override reset(args: ResetArgs = {}): ResetResult<number> {
    this.seedReset(args.seed);
    this.pos = 0;
    this.t = 0;
    return { obs: 0, info: {} };
  }

  override step(action: number): StepResult<number> {
    this.pos = Math.max(0, Math.min(4, this.pos + (action === 1 ? 1 : -1)));
    this.t++;
    const done = this.pos === 4;
    return { obs: this.pos, reward: done ? 1 : 0, terminated: done, truncated: !done && this.t >= 20, info: {} };
  }
}
