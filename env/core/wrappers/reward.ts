/**
 * Reward wrappers (Gymnasium `wrappers/transform_reward.py`, `stateful_reward.py`): TransformReward and
 * NormalizeReward, which scales rewards by the running std of the discounted return (with a freeze flag).
 */
import type { Env, StepResult } from '../env.js';
import type { WrapperSpec } from '../registry.js';
import { RunningMeanStd, type RunningMeanStdState } from '../running-mean-std.js';
import { RewardWrapper, Wrapper } from './wrapper.js';

export class TransformReward<O, A> extends RewardWrapper<O, A> {
  constructor(env: Env<O, A>, private readonly fn: (r: number) => number) {
    super(env);
  }

  reward(r: number): number {
    return this.fn(r);
  }
}

export class NormalizeReward<O, A> extends Wrapper<O, A> {

  readonly returnRms = new RunningMeanStd(1);
  updateRunningMean = true;
  private discounted = 0;

  constructor(env: Env<O, A>, readonly gamma = 0.99, readonly epsilon = 1e-8) {
    super(env);
    if (!(typeof gamma === 'number' && gamma >= 0 && gamma <= 1)) throw new Error(`NormalizeReward: gamma must be in [0, 1], got ${gamma}`);
    if (!(typeof epsilon === 'number' && epsilon > 0)) throw new Error(`NormalizeReward: epsilon must be a positive number, got ${epsilon}`);
  }

  protected override recordedAs(): WrapperSpec {
    return { name: 'NormalizeReward', kwargs: { gamma: this.gamma, epsilon: this.epsilon } };
  }

  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    this.discounted = this.discounted * this.gamma * (r.terminated ? 0 : 1) + r.reward;
    if (this.updateRunningMean) this.returnRms.update([this.discounted]);
    return { ...r, reward: r.reward / Math.sqrt(this.returnRms.var[0]! + this.epsilon) };
  }

  protected override getOwnState(): unknown {
    return { rms: this.returnRms.getState(), discounted: this.discounted, update: this.updateRunningMean };
  }

  protected override setOwnState(s: unknown): void {
    const o = s as { rms: RunningMeanStdState; discounted: number; update: boolean };
    this.returnRms.setState(o.rms);
    this.discounted = o.discounted;
    this.updateRunningMean = o.update;
  }
}
