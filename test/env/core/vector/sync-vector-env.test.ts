import { describe, expect, it } from '@jest/globals';
import { SyncVectorEnv, infosToList } from '../../../../env/core/vector/sync-vector-env.js';
import { make } from '../../../../env/core/registry.js';
import '../../../../env/index.js';
import { CounterEnv } from '../testing-env.js';

const counters = (n: number, terminateAt?: number, info?: (t: number) => Record<string, unknown>) =>
  Array.from({ length: n }, () => () => new CounterEnv({ ...(terminateAt ? { terminateAt } : {}), ...(info ? { info } : {}) }));

describe('SyncVectorEnv', () => {
  it('seeds sub-env i with seed + i', () => {
    const v = new SyncVectorEnv(Array.from({ length: 3 }, () => () => make('CartPole-v1')));
    const { obs } = v.reset({ seed: 10 });
    for (let i = 0; i < 3; i++) {
      const single = make<Float32Array, number>('CartPole-v1').reset({ seed: 10 + i }).obs;
      expect(Array.from(obs.slice(i * 4, i * 4 + 4) as Float32Array)).toEqual(Array.from(single));
    }
  });

  it('batches observations, rewards and flags, and returns fresh batches', () => {
    const v = new SyncVectorEnv(counters(4));
    const a = v.reset({ seed: 0 }).obs;
    const r = v.step([0, 1, 2, 1]);
    expect(r.obs).toBeInstanceOf(Float32Array);
    expect((r.obs as Float32Array).length).toBe(8);
    expect(Array.from(r.rewards)).toEqual([0, 1, 2, 1]);
    expect(r.obs).not.toBe(a);
    expect(v.observationSpace.contains(r.obs)).toBe(true);
  });

  it('next_step: resets on the step after the end with reward 0 and no flags', () => {
    const v = new SyncVectorEnv(counters(2, 2), { autoresetMode: 'next_step' });
    v.reset({ seed: 0 });
    v.step([1, 1]);
    const end = v.step([1, 1]);
    expect(end.terminations).toEqual([true, true]);
    const next = v.step([2, 2]);
    expect(Array.from(next.rewards)).toEqual([0, 0]);
    expect(next.terminations).toEqual([false, false]);
    expect((next.obs as Float32Array)[1]).toBe(0);
  });

  it('same_step: resets in the ending step and keeps the final obs in infos', () => {
    const v = new SyncVectorEnv(counters(2, 2), { autoresetMode: 'same_step' });
    v.reset({ seed: 0 });
    v.step([1, 1]);
    const end = v.step([2, 2]);
    expect(end.terminations).toEqual([true, true]);
    expect(Array.from(end.rewards)).toEqual([2, 2]);
    expect((end.obs as Float32Array)[1]).toBe(0);
    const finals = end.infos.final_obs as Float32Array[];
    expect(finals[0]![1]).toBe(2);
    expect(end.infos._final_obs).toEqual([true, true]);
  });

  it('disabled: refuses to step a finished sub-env until it is reset by mask', () => {
    const v = new SyncVectorEnv(counters(2, 1), { autoresetMode: 'disabled' });
    v.reset({ seed: 0 });
    v.step([1, 1]);
    expect(() => v.step([1, 1])).toThrow("sub-env 0 has finished its episode");
    v.reset({ options: { resetMask: [true, true] } });
    expect(() => v.step([1, 1])).not.toThrow();
  });

  it('batches infos as arrays with _key masks, nested records too', () => {
    const v = new SyncVectorEnv(counters(3, undefined, (t) => (t % 2 ? { odd: t, episode: { r: t } } : {})));
    v.reset({ seed: 0 });
    const { infos } = v.step([0, 0, 0]);
    expect(infos.odd).toEqual([1, 1, 1]);
    expect(infos._odd).toEqual([true, true, true]);
    expect((infos.episode as Record<string, unknown>).r).toEqual([1, 1, 1]);
    expect(infosToList(infos, 3)[2]).toEqual({ odd: 1, episode: { r: 1 } });
  });

  it('checks action counts and closes idempotently', () => {
    const v = new SyncVectorEnv(counters(2));
    v.reset();
    expect(() => v.step([1])).toThrow('got 1 actions for 2 envs');
    v.close();
    expect(() => v.close()).not.toThrow();
    expect(() => v.reset()).toThrow('closed');
  });
});
