import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Rng, seedSequenceWords } from '../../../env/core/rng.js';

interface Trace {
  episodes: { seed: number; reset_state: number[] }[];
  transitions: { action: number }[];
}
const trace = JSON.parse(readFileSync(new URL('../../data/gymnasium-cartpole-trace.json', import.meta.url), 'utf8')) as Trace;

describe('Rng (NumPy Generator(PCG64) compatible)', () => {
  it('reproduces numpy.random.default_rng(seed).uniform(-0.05, 0.05, 4) for every recorded seed', () => {
    for (const ep of trace.episodes) {
      const r = Rng.fromSeed(ep.seed);
      const s = [0, 1, 2, 3].map(() => r.uniform(-0.05, 0.05));
      expect(s).toEqual(ep.reset_state);
    }
  });

  it('reproduces numpy.random.default_rng(2024).integers(0, 2), the trace action stream', () => {
    const r = Rng.fromSeed(2024);
    for (const t of trace.transitions) expect(r.integers(0, 2)).toBe(t.action);
  });

  it('hashes seeds larger than 32 bits with all their words', () => {
    expect(Array.from(seedSequenceWords(2 ** 40 + 5, 4))).not.toEqual(Array.from(seedSequenceWords(5, 4)));
  });

  it('snapshots and restores its state exactly, including the cached 32-bit half', () => {
    const r = Rng.fromSeed(9);
    r.nextUint32();
    const st = JSON.parse(JSON.stringify(r.getState()));
    const a = [r.nextUint32(), r.random(), r.integers(3, 17), r.normal(), r.exponential()];
    const b = Rng.fromState(st);
    expect([b.nextUint32(), b.random(), b.integers(3, 17), b.normal(), b.exponential()]).toEqual(a);
  });

  it('gives different streams for different seeds and bounded values in range', () => {
    const a = Rng.fromSeed(1), b = Rng.fromSeed(2);
    expect(a.random()).not.toBe(b.random());
    for (let i = 0; i < 1000; i++) {
      const v = a.integers(-3, 4);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThan(4);
      const u = a.random();
      expect(u >= 0 && u < 1).toBe(true);
    }
    const big = a.integers(0, 2 ** 40);
    expect(Number.isInteger(big) && big >= 0 && big < 2 ** 40).toBe(true);
  });

  it('rejects bad seeds with a message naming the seed', () => {
    expect(() => Rng.fromSeed(-1)).toThrow('seed must be a non-negative integer, got -1');
    expect(() => Rng.fromSeed(1.5)).toThrow('non-negative integer');
  });

  it('has exponential and normal draws with the right moments', () => {
    const r = Rng.fromSeed(5);
    let se = 0, sn = 0, sn2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      se += r.exponential(2);
      const z = r.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(se / n).toBeCloseTo(2, 1);
    expect(sn / n).toBeCloseTo(0, 1);
    expect(sn2 / n).toBeCloseTo(1, 1);
  });
});
