import { describe, it, expect } from '@jest/globals';
import { BEST_X_TIE, bestStaticX } from '../../../env/sim/measure.js';

describe('bestStaticX', () => {
  it('takes the fewest I/O cores within the tie factor of the top score', () => {
    // top 1.00 at x = 3; x = 2 at 0.985 is within 2 % (1 / 1.02 = 0.9804), x = 1 at 0.97 is not
    expect(bestStaticX([0.5, 0.97, 0.985, 1.0, 0.99])).toBe(2);
    expect(bestStaticX([0.5, 0.97, 0.98, 1.0, 0.99])).toBe(3);
    expect(bestStaticX([1, 0.2, 0.1])).toBe(0);
    expect(bestStaticX([0.5, 0.97, 0.985, 1.0], 1)).toBe(3);
    expect(BEST_X_TIE).toBe(1.02);
  });

  it('is 0 when no score is positive', () => {
    expect(bestStaticX([0, 0, 0])).toBe(0);
    expect(bestStaticX([NaN, NaN])).toBe(0);
  });
});
