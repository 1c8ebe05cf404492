import { describe, expect, it } from '@jest/globals';
import { Env, type ResetResult, type StepResult } from '../../../../env/core/env.js';
import { Box, Dict, Discrete } from '../../../../env/core/spaces/index.js';
import { ClipAction, RescaleAction } from '../../../../env/core/wrappers/action.js';
import { FlattenObservation, NormalizeObservation, TransformObservation } from '../../../../env/core/wrappers/observation.js';
import { NormalizeReward, TransformReward } from '../../../../env/core/wrappers/reward.js';
import { CounterEnv } from '../testing-env.js';

class DictObsEnv extends Env<Record<string, unknown>, number> {
  readonly actionSpace = new Discrete(2);
  readonly observationSpace = new Dict({ pos: new Box(-1, 1, [2]), mode: new Discrete(3) });
  reset(): ResetResult<Record<string, unknown>> {
    return { obs: { pos: new Float32Array([0.5, -0.5]), mode: 2 }, info: {} };
  }
  step(): StepResult<Record<string, unknown>> {
    return { obs: { pos: new Float32Array([0, 0]), mode: 0 }, reward: 1, terminated: false, truncated: false, info: {} };
  }
}

/** Echoes the (continuous) action as observation and reward, to test action wrappers. */
class EchoEnv extends Env<Float32Array, Float32Array> {
  readonly actionSpace = new Box([0, -2], [10, 2], [2]);
  readonly observationSpace = new Box(-100, 100, [2]);
  reset(): ResetResult<Float32Array> {
    return { obs: new Float32Array(2), info: {} };
  }
  step(a: Float32Array): StepResult<Float32Array> {
    return { obs: a.slice(), reward: 0, terminated: false, truncated: false, info: {} };
  }
}

describe('FlattenObservation', () => {
  it('flattens a Dict observation with a one-hot Discrete part, keys in sorted order', () => {
    const env = new FlattenObservation(new DictObsEnv());
    expect(env.observationSpace.flatdim).toBe(5);
    const { obs } = env.reset();
    expect(Array.from(obs)).toEqual([0, 0, 1, 0.5, -0.5]);
    expect(env.observationSpace.contains(obs)).toBe(true);
  });
});

describe('NormalizeObservation', () => {
  it('drives the running mean towards the observations and freezes on request', () => {
    const env = new NormalizeObservation(new CounterEnv());
    env.reset({ seed: 0 });
    for (let i = 0; i < 50; i++) env.step(2);
    const mean = Array.from(env.obsRms.mean);
    expect(mean[1]).toBeGreaterThan(10);
    env.updateRunningMean = false;
    env.step(2);
    expect(Array.from(env.obsRms.mean)).toEqual(mean);
    const o = env.step(1).obs;
    expect(o).toBeInstanceOf(Float32Array);
  });
});

describe('NormalizeReward', () => {
  it('scales rewards by the std of the discounted return; frozen statistics stay put', () => {
    const env = new NormalizeReward(new CounterEnv(), 0.9);
    env.reset({ seed: 0 });
    let last = 0;
    for (let i = 0; i < 200; i++) last = env.step(2).reward;
    // Discounted return of constant reward 2 tends to 20 with a small variance around its ramp-up.
    expect(last).toBeGreaterThan(0);
    const v = env.returnRms.var[0];
    env.updateRunningMean = false;
    env.step(2);
    expect(env.returnRms.var[0]).toBe(v);
  });
});

describe('TransformReward and TransformObservation', () => {
  it('apply the given functions', () => {
    const r = new TransformReward(new CounterEnv(), (x) => 10 * x);
    r.reset({ seed: 0 });
    expect(r.step(2).reward).toBe(20);
    const o = new TransformObservation(new CounterEnv(), (x: Float32Array) => x[1]!, new Discrete(1000));
    expect(o.reset({ seed: 0 }).obs).toBe(0);
  });
});

describe('ClipAction and RescaleAction', () => {
  it('clip actions into the bounds', () => {
    const env = new ClipAction(new EchoEnv());
    env.reset();
    expect(Array.from(env.step(new Float32Array([50, -7])).obs)).toEqual([10, -2]);
    expect(env.actionSpace.contains(new Float32Array([1e9, -1e9]))).toBe(true);
  });

  it('rescale [-1, 1] onto the env bounds and reject actions outside [-1, 1]', () => {
    const env = new RescaleAction(new EchoEnv(), -1, 1);
    env.reset();
    expect(Array.from(env.step(new Float32Array([-1, 1])).obs)).toEqual([0, 2]);
    expect(Array.from(env.step(new Float32Array([0, 0])).obs)).toEqual([5, 0]);
    expect(() => env.step(new Float32Array([2, 0]))).toThrow('is not in Box');
  });
});

// The argument checks of Gymnasium 1.x's wrappers (tests/wrappers), restated: a bad argument fails at
// construction instead of producing NaN or silently wrong values later.
describe('wrapper argument checks', () => {
  it('NormalizeObservation refuses epsilon <= 0', () => {
    expect(() => new NormalizeObservation(new CounterEnv(), 0)).toThrow('epsilon must be a positive number, got 0');
    expect(() => new NormalizeObservation(new CounterEnv(), -1e-8)).toThrow('epsilon must be a positive number');
  });

  it('NormalizeReward refuses gamma outside [0, 1] and epsilon <= 0', () => {
    expect(() => new NormalizeReward(new CounterEnv(), 1.01)).toThrow('gamma must be in [0, 1], got 1.01');
    expect(() => new NormalizeReward(new CounterEnv(), -0.1)).toThrow('gamma must be in [0, 1]');
    expect(() => new NormalizeReward(new CounterEnv(), 0.99, 0)).toThrow('epsilon must be a positive number');
    expect(() => new NormalizeReward(new CounterEnv(), 0)).not.toThrow();
    expect(() => new NormalizeReward(new CounterEnv(), 1)).not.toThrow();
  });

  it('RescaleAction refuses min == max (every action would be 0/0)', () => {
    expect(() => new RescaleAction(new EchoEnv(), 1, 1)).toThrow('minAction must be below maxAction at index 0');
    expect(() => new RescaleAction(new EchoEnv(), [-1, 0], [1, 0])).toThrow('at index 1');
  });

  it('RescaleAction maps per-coordinate ranges (hand-computed)', () => {
    // EchoEnv's action Box is [0, 10] × [-2, 2]: 0.5 in [0, 1] → 5; 3 in [2, 4] → 0.
    const env = new RescaleAction(new EchoEnv(), [0, 2], [1, 4]);
    env.reset();
    expect(Array.from(env.step(new Float32Array([0.5, 3])).obs)).toEqual([5, 0]);
  });
});

describe('NormalizeReward statistics (Gymnasium test_normalize_return, by hand)', () => {
  it('tracks the mean of the discounted returns 1, then 2 + γ·1', () => {
    // CounterEnv rewards the action taken: actions 1 then 2 give rewards 1 and 2.
    const env = new NormalizeReward(new CounterEnv(), 0.99);
    env.reset({ seed: 0 });
    env.step(1);
    // Running mean starts at 0 with count 1e-4: after one sample it is 1 / (1 + 1e-4).
    expect(env.returnRms.mean[0]).toBeCloseTo(1, 3);
    env.step(2);
    expect(env.returnRms.mean[0]).toBeCloseTo((1 + (2 + 0.99 * 1)) / 2, 3);
  });
});
