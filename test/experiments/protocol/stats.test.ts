/** The protocol's statistics on small inputs whose answers are worked out by hand in the comments. */
import { describe, expect, it } from '@jest/globals';
import { aggregateIqm, aggregateMean, bestInHindsight, iqm, mean, quantileSorted, stratifiedBootstrap, switchesPerMinute, winTieLoss } from '../../../experiments/protocol/stats.js';

describe('iqm', () => {
  it('is the mean of the middle half after cutting ⌊n/4⌋ from each end', () => {
    expect(iqm([8, 1, 7, 2, 6, 3, 5, 4])).toBe(4.5); // cut 2 each end: mean(3, 4, 5, 6)
    expect(iqm([1, 2, 3, 4, 100])).toBe(3); // n = 5, cut 1: mean(2, 3, 4); the outlier has no weight
    expect(iqm([10, 1, 7, 3])).toBe(5); // cut 1: mean(3, 7)
    expect(iqm([4, 2])).toBe(3); // ⌊2/4⌋ = 0: the plain mean
    expect(iqm([])).toBeNaN();
  });
});

describe('aggregates over a score matrix (tasks × runs)', () => {
  it('mean is the mean of the per-task means; IQM pools every run', () => {
    expect(aggregateMean([[1, 3], [10]])).toBe(6); // mean(2, 10)
    // pooled: 1 2 3 4 5 10 100, n = 7, cut 1: (2 + 3 + 4 + 5 + 10) / 5
    expect(aggregateIqm([[1, 3], [10], [2, 4, 100, 5]])).toBeCloseTo(4.8, 12);
    expect(mean([])).toBeNaN();
  });
});

describe('quantileSorted', () => {
  it('interpolates linearly as NumPy does', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75); // numpy.percentile([1,2,3,4], 25)
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
  });
});

describe('stratifiedBootstrap', () => {
  it('gives a zero-width interval on degenerate data', () => {
    const same = [[0.9, 0.9, 0.9], [0.8, 0.8]];
    const r = stratifiedBootstrap(same, aggregateIqm, { reps: 500, seed: 3 });
    expect(r.point).toBeCloseTo((0.8 + 0.9 + 0.9) / 3, 12); // pooled .8 .8 .9 .9 .9, cut 1
    expect(r.lo).toBe(r.point);
    expect(r.hi).toBe(r.point);
    // one run per task (an agent that is not trained): nothing to resample
    const single = stratifiedBootstrap([[1], [2], [5]], aggregateMean, { reps: 200 });
    expect([single.lo, single.point, single.hi]).toEqual([8 / 3, 8 / 3, 8 / 3]);
  });

  it('resamples runs within a task: two runs 0 and 1 give replicate means 0, ½, 1 and the interval [0, 1]', () => {
    // each replicate mean is 0 or 1 with probability ¼ each, far above the 2.5 % tails
    const r = stratifiedBootstrap([[0, 1]], aggregateMean, { reps: 2000, seed: 1 });
    expect(r).toEqual({ point: 0.5, lo: 0, hi: 1 });
  });

  it('keeps tasks apart (strata) and is deterministic for a seed', () => {
    // task 1's runs are identical, so every replicate mean is (task 0's resampled mean + 10) / 2
    const m = [[0, 1, 2, 3], [10, 10]];
    const a = stratifiedBootstrap(m, aggregateMean, { reps: 1000, seed: 7 });
    const b = stratifiedBootstrap(m, aggregateMean, { reps: 1000, seed: 7 });
    expect(a).toEqual(b);
    expect(a.point).toBe(5.75);
    expect(a.lo).toBeGreaterThanOrEqual(5); // task 0's mean ≥ 0
    expect(a.hi).toBeLessThanOrEqual(6.5); // task 0's mean ≤ 3
    expect(a.lo).toBeLessThan(a.point);
    expect(a.hi).toBeGreaterThan(a.point);
  });

  it('refuses bad options', () => {
    expect(() => stratifiedBootstrap([[1]], aggregateMean, { reps: 0 })).toThrow(/reps/);
    expect(() => stratifiedBootstrap([[1]], aggregateMean, { level: 1 })).toThrow(/level/);
  });
});

describe('winTieLoss', () => {
  it('counts per task with a relative tie tolerance, skipping missing scores', () => {
    const agent = [1.0, 0.95, 1.002, NaN, 0.5];
    const ref = [0.98, 1.0, 1.0, 1.0, 0.5];
    // .02 > .005·.98 win; −.05 loss; .002 ≤ .005 tie; NaN skipped; equal tie
    expect(winTieLoss(agent, ref, 0.005)).toEqual({ win: 1, tie: 2, loss: 1 });
    expect(winTieLoss(agent, ref, 0)).toEqual({ win: 2, tie: 1, loss: 1 });
    expect(() => winTieLoss([1], [1, 2], 0)).toThrow(/1 agent scores but 2/);
  });
});

describe('bestInHindsight and switchesPerMinute', () => {
  it('takes the per-task maximum over candidates', () => {
    expect(bestInHindsight([[1, 5, 3], [2, 4, 3], [0, 0, 0]])).toEqual([2, 5, 3]);
  });

  it('counts switches per simulated minute', () => {
    expect(switchesPerMinute(30, 600, 100)).toBe(30); // 600 epochs of 100 ms = 1 min
    expect(switchesPerMinute(4, 1200, 50)).toBe(4); // 1200 × 50 ms = 1 min
    expect(switchesPerMinute(1, 0, 100)).toBeNaN();
  });
});
