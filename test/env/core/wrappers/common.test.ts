import { describe, expect, it } from '@jest/globals';
import { Autoreset, OrderEnforcing, PassiveEnvChecker, RecordEpisodeStatistics, TimeLimit } from '../../../../env/core/wrappers/common.js';
import { captureWarnings } from '../../../../env/core/logger.js';
import { CounterEnv } from '../testing-env.js';

describe('TimeLimit', () => {
  it('truncates exactly at maxEpisodeSteps and restarts the count on reset', () => {
    const env = new TimeLimit(new CounterEnv(), 3);
    env.reset({ seed: 0 });
    expect([env.step(1), env.step(1), env.step(1)].map((r) => r.truncated)).toEqual([false, false, true]);
    env.reset();
    expect(env.step(1).truncated).toBe(false);
    expect(() => new TimeLimit(new CounterEnv(), 0)).toThrow('positive integer');
  });

  it('keeps its step count in snapshots', () => {
    const env = new TimeLimit(new CounterEnv(), 4);
    env.reset({ seed: 0 });
    env.step(1);
    const s = env.getState();
    env.step(1);
    env.step(1);
    env.setState(s);
    expect([env.step(1).truncated, env.step(1).truncated, env.step(1).truncated]).toEqual([false, false, true]);
  });

  it('refuses a snapshot that is not a wrapped env\'s, naming itself', () => {
    const env = new TimeLimit(new CounterEnv(), 4);
    env.reset({ seed: 0 });
    const bare = new CounterEnv();
    bare.reset({ seed: 0 });
    expect(() => env.setState(bare.getState())).toThrow('<TimeLimit<CounterEnv>>.setState: not the snapshot of a wrapped env (getState() of an env wrapped the same way gives {inner, own})');
  });
});

describe('OrderEnforcing', () => {
  it('refuses step and render before reset', () => {
    const env = new OrderEnforcing(new CounterEnv());
    expect(() => env.step(0)).toThrow('before calling env.reset()');
    expect(() => env.render()).toThrow('before calling env.reset()');
    env.reset();
    expect(() => env.step(0)).not.toThrow();
  });
});

describe('PassiveEnvChecker', () => {
  it('rejects an action outside the space on the first step, naming it', () => {
    const env = new PassiveEnvChecker(new CounterEnv());
    env.reset({ seed: 0 });
    expect(() => env.step(7)).toThrow('action 7 is not in Discrete(3)');
  });

  it('rejects observations outside the observation space', () => {
    const inner = new CounterEnv();
    const env = new PassiveEnvChecker(inner);
    inner.reset = () => ({ obs: new Float32Array([5000, 0]), info: {} });
    expect(() => env.reset()).toThrow('is not in the observation space');
  });

  it('warns on a non-finite reward', () => {
    const inner = new CounterEnv();
    const step = inner.step.bind(inner);
    inner.step = (a: number) => ({ ...step(a), reward: NaN });
    const env = new PassiveEnvChecker(inner);
    env.reset({ seed: 0 });
    expect(captureWarnings(() => env.step(1)).warnings.join()).toContain('reward is NaN');
  });
});

describe('RecordEpisodeStatistics', () => {
  it('reports return and length at the end of an episode', () => {
    const env = new RecordEpisodeStatistics(new CounterEnv({ terminateAt: 3 }), 2);
    for (let ep = 0; ep < 3; ep++) {
      env.reset({ seed: ep });
      expect(env.step(2).info.episode).toBeUndefined();
      env.step(1);
      const last = env.step(0);
      expect(last.info.episode).toMatchObject({ r: 3, l: 3 });
    }
    expect(env.returnQueue).toEqual([3, 3]);
  });

  it('times the episode in seconds to 6 decimals, as Gymnasium rounds it', () => {
    const real = performance.now;
    let clock = 1000;
    performance.now = () => clock;
    try {
      const env = new RecordEpisodeStatistics(new CounterEnv({ terminateAt: 1 }));
      env.reset({ seed: 0 });
      clock += 1.2345678; // ms
      expect((env.step(0).info.episode as { t: number }).t).toBe(0.001235);
    } finally {
      performance.now = real;
    }
  });
});

describe('Autoreset', () => {
  it('resets on the step after the episode ends, with reward 0 and no flags', () => {
    const env = new Autoreset(new CounterEnv({ terminateAt: 2 }));
    env.reset({ seed: 0 });
    env.step(1);
    expect(env.step(1).terminated).toBe(true);
    const r = env.step(2);
    expect(r).toMatchObject({ reward: 0, terminated: false, truncated: false });
    expect(r.obs[1]).toBe(0);
  });
});

describe('PassiveEnvChecker on construction (Gymnasium asserts the spaces first)', () => {
  it('refuses an env without an action space or with a non-space', () => {
    const noAct = new CounterEnv();
    Object.defineProperty(noAct, 'actionSpace', { value: undefined });
    expect(() => new PassiveEnvChecker(noAct)).toThrow('The environment must specify an action space');
    const notSpace = new CounterEnv();
    Object.defineProperty(notSpace, 'observationSpace', { value: { n: 3 } });
    expect(() => new PassiveEnvChecker(notSpace)).toThrow("The environment's observationSpace must be a Space");
  });
});

describe('TimeLimit as Gymnasium test_time_limit', () => {
  it('reports both flags when the env terminates on the last allowed step, also when wrapped twice', () => {
    for (const twice of [false, true]) {
      const inner = new TimeLimit(new CounterEnv({ terminateAt: 2 }), 2);
      const env = twice ? new TimeLimit(inner, 2) : inner;
      env.reset({ seed: 0 });
      env.step(1);
      const r = env.step(1);
      expect([r.terminated, r.truncated]).toEqual([true, true]);
    }
  });

  it('refuses a non-positive or missing step limit', () => {
    expect(() => new TimeLimit(new CounterEnv(), -1)).toThrow('maxEpisodeSteps must be a positive integer, got -1');
    expect(() => new TimeLimit(new CounterEnv(), undefined as unknown as number)).toThrow('positive integer');
  });
});

describe('OrderEnforcing as Gymnasium test_order_enforcing', () => {
  it('reports hasReset, refuses step and render before reset, and renders early when told to', () => {
    const env = new OrderEnforcing(new CounterEnv());
    expect(env.hasReset).toBe(false);
    expect(() => env.step(0)).toThrow('Cannot call env.step() before calling env.reset()');
    expect(() => env.render()).toThrow('Cannot call env.render() before calling env.reset()');
    expect(env.hasReset).toBe(false);
    env.reset({ seed: 0 });
    expect(env.hasReset).toBe(true);
    expect(() => env.step(0)).not.toThrow();
    expect(typeof env.render()).toBe('string');
    expect(() => new OrderEnforcing(new CounterEnv(), true).render()).not.toThrow();
  });
});
