/**
 * Geometric histogram bins without a logarithm (env/sim/log-bins.ts): the table lookup must return
 * what the defining formula ⌊ln(max(x, base) / base) / ln(ratio)⌋ returns, bit for bit, since the
 * simulator's latency and kick-to-service histograms switched from the formula to it.
 */
import { describe, it, expect } from '@jest/globals';
import { LogBins } from '../../../env/sim/log-bins.js';

/** The double k units in the last place away from x (x > 0). */
function ulps(x: number, k: number): number {
  const f = new Float64Array([x]);
  const u = new BigInt64Array(f.buffer);
  u[0] = u[0]! + BigInt(k);
  return f[0]!;
}

/** The formula written out here, independently of the class. */
function formula(base: number, ratio: number, bins: number, x: number): number {
  const b = Math.floor(Math.log(Math.max(x, base) / base) / Math.log(ratio));
  return b >= bins ? bins - 1 : b;
}

// the simulator's two histograms: latency (2 % bins from 100 ns) and kick-to-service (5 % from 10 ns)
describe.each([[100, 1.02, 1100], [10, 1.05, 370]])('LogBins(%p, %p, %p)', (base, ratio, bins) => {
  const lb = new LogBins(base, ratio, bins);

  it('puts values well inside a bin in that bin, and clips both ends', () => {
    for (const b of [0, 1, 7, 100, bins - 2]) expect(lb.bin(base * Math.pow(ratio, b + 0.5))).toBe(b);
    expect(lb.bin(0)).toBe(0);
    expect(lb.bin(-5)).toBe(0);
    expect(lb.bin(base / 2)).toBe(0);
    expect(lb.bin(base)).toBe(0);
    expect(lb.bin(1e300)).toBe(bins - 1);
    expect(lb.bin(Infinity)).toBe(bins - 1);
  });

  it('equals the formula within 50 doubles of every bin boundary', () => {
    let mismatches = 0;
    for (let b = 1; b <= bins; b++) {
      const edge = base * Math.pow(ratio, b);
      for (let k = -50; k <= 50; k++) {
        const x = ulps(edge, k);
        if (lb.bin(x) !== formula(base, ratio, bins, x)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('equals the formula on 200,000 log-uniform samples across the whole range', () => {
    let s = 0x2545f491, mismatches = 0;
    const lo = Math.log(base / 4), hi = Math.log(base * Math.pow(ratio, bins + 3));
    for (let i = 0; i < 200_000; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const x = Math.exp(lo + (hi - lo) * (s / 2 ** 32));
      if (lb.bin(x) !== formula(base, ratio, bins, x)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});

describe('LogBins arguments', () => {
  it('rejects bins narrower than a table slice, a non-positive base and fewer than 2 bins', () => {
    expect(() => new LogBins(10, 1.01, 100)).toThrow(/ratio must be >= 1.02/);
    expect(() => new LogBins(0, 1.05, 100)).toThrow(/base must be > 0/);
    expect(() => new LogBins(10, 1.05, 1)).toThrow(/at least 2 bins/);
  });
});
