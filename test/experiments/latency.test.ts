/** The one p99 definition: transaction-weighted mean of per-epoch p99s (hand-computed values). */
import { describe, expect, it } from '@jest/globals';
import { txWeightedMean } from '../../experiments/latency.js';

describe('txWeightedMean', () => {
  it('weights each epoch by its transactions; epochs without any weigh nothing', () => {
    // (55·265,000 + 860·2,300) / 267,300 = 16,553,000 / 267,300 = 61.926…
    expect(txWeightedMean([55, 860, null], [265_000, 2_300, 0])).toBeCloseTo(16_553_000 / 267_300, 10);
    // the plain mean of the finite p99s would be 457.5
    expect(txWeightedMean([55, 860], [265_000, 2_300])).toBeLessThan(100);
    expect(txWeightedMean([NaN, 10], [1, 1])).toBe(10);
    expect(txWeightedMean([10, 20], [0, 0])).toBeNaN();
    expect(txWeightedMean([], [])).toBeNaN();
  });
});
