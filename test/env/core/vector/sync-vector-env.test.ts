import { describe, expect, it } from '@jest/globals';
import { SyncVectorEnv, infosToList } from '../../../../env/core/vector/sync-vector-env.js';
import { make } from '../../../../env/core/registry.js';
import '../../../../env/index.js';
import { CounterEnv } from '../testing-env.js';
import { AutoresetMode } from '../../../../env/core/env.js';
import { Box } from '../../../../env/core/spaces/index.js';
import { RecordEpisodeStatistics } from '../../../../env/core/wrappers/common.js';

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

  it('fills the slots of sub-envs that did not set a key as Gymnasium\'s _add_info does: 0, false, else null', () => {
    const v = new SyncVectorEnv([
      () => new CounterEnv({ info: (t) => (t ? { n: t, ok: true, name: 'a' } : {}) }),
      () => new CounterEnv(),
    ]);
    v.reset({ seed: 0 });
    const { infos } = v.step([1, 1]);
    expect({ n: infos.n, ok: infos.ok, name: infos.name, _n: infos._n }).toEqual({ n: [1, 0], ok: [true, false], name: ['a', null], _n: [true, false] });
    expect(infosToList(infos, 2)).toEqual([{ n: 1, ok: true, name: 'a' }, {}]);
  });

  it('same_step: batches final_info like any info record (final_info.episode.r[i], masked by _episode)', () => {
    // sub-env 0 ends after 2 steps, sub-env 1 after 3; RecordEpisodeStatistics puts `episode` in the final info
    const v = new SyncVectorEnv([2, 3].map((end) => () => new RecordEpisodeStatistics(new CounterEnv({ terminateAt: end }))), { autoresetMode: 'same_step' });
    v.reset({ seed: 0 });
    v.step([1, 1]);
    const { infos } = v.step([2, 2]);
    const fin = infos.final_info as Record<string, unknown>;
    expect(infos._final_info).toEqual([true, false]);
    const ep = fin.episode as Record<string, unknown>;
    expect({ r: ep.r, l: ep.l, _episode: fin._episode }).toEqual({ r: [3, 0], l: [2, 0], _episode: [true, false] });
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

// Gymnasium 1.x tests/vector, restated: the reset mask's checks, the AutoresetMode enum, and
// batching of every Box dtype.
describe('SyncVectorEnv as Gymnasium 1.x', () => {
  it('refuses an all-false resetMask, a mask of the wrong length or of non-booleans', () => {
    const v = new SyncVectorEnv(counters(2, 1), { autoresetMode: AutoresetMode.DISABLED });
    v.reset({ seed: 0 });
    v.step([1, 1]);
    expect(() => v.reset({ options: { resetMask: [false, false] } })).toThrow('resetMask resets no sub-env (all false)');
    expect(() => v.reset({ options: { resetMask: [true] } })).toThrow('resetMask has 1 entries, expected 2');
    expect(() => v.reset({ options: { resetMask: [1, 0] as unknown as boolean[] } })).toThrow('must be booleans');
    // Only the masked sub-env is reset: sub-env 1 is still finished.
    v.reset({ options: { resetMask: [true, false] } });
    expect(() => v.step([1, 1])).toThrow('sub-env 1 has finished');
  });

  it('exports AutoresetMode as a runtime value with Gymnasium’s three modes', () => {
    expect(AutoresetMode).toEqual({ NEXT_STEP: 'next_step', SAME_STEP: 'same_step', DISABLED: 'disabled' });
    const v = new SyncVectorEnv(counters(1), { autoresetMode: AutoresetMode.SAME_STEP });
    expect(v.metadata.autoresetMode).toBe(AutoresetMode.SAME_STEP);
    expect(() => new SyncVectorEnv(counters(1), { autoresetMode: 'sometimes' as AutoresetMode })).toThrow('unknown autoresetMode');
  });

  it('batches int64 observations into one BigInt64Array', () => {
    class Int64Env extends CounterEnv {
      override readonly observationSpace = new Box(-1000, 1000, [2], 'int64') as unknown as CounterEnv['observationSpace'];
      override reset(args = {}) {
        const r = super.reset(args);
        return { ...r, obs: BigInt64Array.from(r.obs, (v) => BigInt(v)) as unknown as Float32Array };
      }
    }
    const v = new SyncVectorEnv([() => new Int64Env(), () => new Int64Env()]);
    const { obs } = v.reset({ seed: 0 });
    expect(obs).toBeInstanceOf(BigInt64Array);
    expect((obs as BigInt64Array).length).toBe(4);
    expect(v.observationSpace.equals(new Box(-1000, 1000, [2, 2], 'int64'))).toBe(true);
  });
});

describe('SyncVectorEnv call, getAttr, setAttr and render (Gymnasium test_sync_vector_env.py)', () => {
  it('calls a method or reads a property by name, and sets one value per sub-env', () => {
    const v = new SyncVectorEnv(Array.from({ length: 4 }, () => () => make<Float32Array, number>('CartPole-v1', {}, { renderMode: 'ansi' })));
    v.reset({ seed: 0 });
    expect(v.call((e) => e.unwrapped instanceof Object)).toEqual([true, true, true, true]);
    expect(v.call('render').every((f) => typeof f === 'string')).toBe(true);
    expect(v.getAttr('renderMode')).toEqual(['ansi', 'ansi', 'ansi', 'ansi']);
    const gravity = v.envs.map((e) => (e.unwrapped as unknown as { gravity: number }).gravity);
    expect(gravity).toEqual([9.8, 9.8, 9.8, 9.8]);
    v.setAttr('tag', [1, 2, 3, 4]);
    expect(v.getAttr('tag')).toEqual([1, 2, 3, 4]);
    v.setAttr('tag', 'same');
    expect(v.getAttr('tag')).toEqual(['same', 'same', 'same', 'same']);
    expect(() => v.setAttr('tag', [1, 2])).toThrow('got 2 values for 4 envs');
    expect(v.renderMode).toBe('ansi');
    expect(v.render()).toHaveLength(4);
    v.close();
    expect(new SyncVectorEnv(counters(2)).renderMode).toBeUndefined();
  });

  it('batches a Discrete observation space as MultiDiscrete and Box ones as one Box of n × shape', () => {
    const v = new SyncVectorEnv(Array.from({ length: 8 }, () => () => make('CartPole-v1')));
    const { obs } = v.reset({ seed: 0 });
    expect(obs).toBeInstanceOf(Float32Array);
    expect((obs as Float32Array).length).toBe(8 * 4);
    expect((v.observationSpace as Box).shape).toEqual([8, 4]);
    expect(v.actionSpace.toString()).toBe('MultiDiscrete([2, 2, 2, 2, 2, 2, 2, 2])');
  });
});
