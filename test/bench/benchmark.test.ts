import { describe, expect, it } from '@jest/globals';
import { selectBenchmarks, type Benchmark } from '../../bench/benchmark.js';

const bench = (name: string): Benchmark => ({ name, description: name, run: async () => {} });
const all = [bench('cartpole'), bench('sim'), bench('fluid')];

describe('selectBenchmarks (npm run bench -- <name> …)', () => {
  it('runs every benchmark when none is named, and the named ones in registry order', () => {
    expect(selectBenchmarks(all, []).map((b) => b.name)).toEqual(['cartpole', 'sim', 'fluid']);
    expect(selectBenchmarks(all, ['fluid', 'cartpole']).map((b) => b.name)).toEqual(['cartpole', 'fluid']);
  });

  it('refuses a name that is not registered, listing the registered ones', () => {
    expect(() => selectBenchmarks(all, ['sim', 'nosuch'])).toThrow('no benchmark named "nosuch"; the benchmarks are cartpole, sim, fluid');
  });
});
