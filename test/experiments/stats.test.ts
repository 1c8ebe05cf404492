import { describe, expect, it } from '@jest/globals';
import { loadMath, summarize, tCdf, tQuantile } from '../../experiments/stats.js';

describe('statistics', () => {
  it('Student-t 97.5% quantiles match the tables', async () => {
    await loadMath();
    // Standard t-table values (two-sided 95%).
    const table: [number, number][] = [[1, 12.7062], [2, 4.3027], [3, 3.1824], [4, 2.7764], [9, 2.2622], [29, 2.0452], [100, 1.9840]];
    for (const [df, t] of table) expect(tQuantile(0.975, df)).toBeCloseTo(t, 4);
    expect(tCdf(0, 5)).toBeCloseTo(0.5, 12);
    expect(tQuantile(0.025, 4)).toBeCloseTo(-2.7764, 4);
  });

  it('mean, sample std and 95% CI half-width, by hand', async () => {
    await loadMath();
    // [1, 2, 3, 4]: mean 2.5; s² = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3; CI = t(0.975, 3) · s / 2.
    const s = summarize([1, 2, 3, 4]);
    expect(s.n).toBe(4);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(s.ci95).toBeCloseTo(3.182446305 * Math.sqrt(5 / 3) / 2, 8);
    expect([s.min, s.max]).toEqual([1, 4]);
    // [10, 12]: mean 11, s = √2, CI = 12.7062 · √2 / √2 = 12.7062.
    expect(summarize([10, 12]).ci95).toBeCloseTo(12.7062047, 6);
    // NaNs are left out; one value has no CI; none gives NaN.
    const one = summarize([7, NaN]);
    expect(one.n).toBe(1);
    expect(one.mean).toBe(7);
    expect(Number.isNaN(one.ci95)).toBe(true);
    expect(Number.isNaN(summarize([]).mean)).toBe(true);
  });
});
