// MultiBinary behaviours of Gymnasium 1.x (tests/spaces/test_multibinary.py), restated.
import { describe, expect, it } from '@jest/globals';
import { MultiBinary, flatten, flattenSpace } from '../../../../env/core/spaces/index.js';

describe('MultiBinary', () => {
  it('takes an n-dimensional shape', () => {
    const s = new MultiBinary([2, 3]);
    expect(s.shape).toEqual([2, 3]);
    expect(s.flatdim).toBe(6);
    expect(s.toString()).toBe('MultiBinary([2, 3])');
    s.seed(0);
    expect(s.sample().length).toBe(6);
    expect(flattenSpace(s).shape).toEqual([6]);
    expect(flatten(s, s.sample()).length).toBe(6);
    expect(s.equals(new MultiBinary([2, 3]))).toBe(true);
    expect(s.equals(new MultiBinary([3, 2]))).toBe(false);
    expect(s.equals(new MultiBinary(6))).toBe(false);
  });

  it('contains plain arrays of its shape holding only 0 and 1', () => {
    const s = new MultiBinary([2, 3]);
    expect(s.contains([[0, 1, 0], [1, 1, 0]])).toBe(true);
    expect(s.contains([[0, 1, 0], [1, 2, 0]])).toBe(false);
    expect(s.contains([0, 1, 0, 1, 1, 0])).toBe(false);
    expect(new MultiBinary(3).contains([1, 0, 1])).toBe(true);
    expect(new MultiBinary(3).contains([1, 0])).toBe(false);
    expect(new MultiBinary(3).contains(new Int8Array([1, 0, 1]))).toBe(true);
  });

  it('refuses a non-positive size', () => {
    expect(() => new MultiBinary(0)).toThrow('positive integer');
    expect(() => new MultiBinary([2, 0])).toThrow('positive integer');
  });

  it('samples with a mask: 0 and 1 force the bit, 2 leaves it random', () => {
    const s = new MultiBinary(3);
    s.seed(1);
    const seen = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const x = s.sample({ mask: new Int8Array([0, 1, 2]) });
      expect([x[0], x[1]]).toEqual([0, 1]);
      seen.add(x[2]!);
    }
    expect([...seen].sort()).toEqual([0, 1]);
    expect(() => s.sample({ mask: new Int8Array([0, 3, 1]) })).toThrow('0, 1 or 2');
  });

  it('samples with a probability of 1 per bit', () => {
    const s = new MultiBinary(3);
    s.seed(2);
    const n = 4000;
    const ones = [0, 0, 0];
    for (let i = 0; i < n; i++) s.sample({ probability: [0, 1, 0.25] }).forEach((b, k) => (ones[k]! += b));
    expect(ones[0]).toBe(0);
    expect(ones[1]).toBe(n);
    // Binomial(4000, 0.25): sd ≈ 27, so ±150 is more than 5 sd.
    expect(Math.abs(ones[2]! - n * 0.25)).toBeLessThan(150);
    expect(() => s.sample({ probability: [0, 1.5, 0] })).toThrow('[0, 1]');
    expect(() => s.sample({ probability: [0, 1] })).toThrow('2 entries, expected 3');
    expect(() => s.sample({ mask: new Int8Array(3), probability: [0, 0, 0] })).toThrow('only one of mask or probability');
  });
});
