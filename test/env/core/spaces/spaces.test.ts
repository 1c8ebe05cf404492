import { describe, expect, it } from '@jest/globals';
import { Box, Dict, Discrete, MultiBinary, MultiDiscrete, Tuple, flatten, flattenSpace, spaceFromJSON, unflatten, type Space } from '../../../../env/core/spaces/index.js';

const all: [string, () => Space<unknown>][] = [
  ['Box bounded', () => new Box(-1, 2, [3], 'float32')],
  ['Box mixed bounds', () => new Box([-Infinity, 0, -5, -Infinity], [Infinity, Infinity, 5, 3], [4], 'float64')],
  ['Box int32', () => new Box(-2, 5, [2, 2], 'int32')],
  ['Box int8', () => new Box(-128, 127, [3], 'int8')],
  ['Box int16 half-bounded', () => new Box([-Infinity, 0], [0, Infinity], [2], 'int16')],
  ['Box int64 unbounded', () => new Box(-Infinity, Infinity, [2], 'int64')],
  ['Box uint16', () => new Box(0, 65535, [2], 'uint16')],
  ['Box uint32', () => new Box(7, 4294967295, [2], 'uint32')],
  ['Box uint64', () => new Box(0, 1000, [2], 'uint64')],
  ['Box scalar bounds', () => new Box(0, 1)],
  ['Discrete', () => new Discrete(5)],
  ['Discrete with start', () => new Discrete(3, -1)],
  ['MultiDiscrete', () => new MultiDiscrete([2, 3, 4])],
  ['MultiDiscrete 2-d with start', () => new MultiDiscrete([[2, 3], [4, 5]], [[0, -1], [10, 0]])],
  ['MultiBinary', () => new MultiBinary(6)],
  ['MultiBinary 2-d', () => new MultiBinary([2, 3])],
  ['nested Tuple', () => new Tuple([new Discrete(5), new Tuple([new Box(0, 1, [3]), new Discrete(2)])])],
  ['Tuple', () => new Tuple([new Discrete(2), new Box(0, 1, [2])])],
  ['Dict', () => new Dict({ b: new Discrete(4), a: new Box(-1, 1, [3]), c: new MultiBinary(2) })],
];

describe.each(all)('%s', (_name, build) => {
  it('samples members of itself', () => {
    const s = build();
    s.seed(0);
    for (let i = 0; i < 200; i++) expect(s.contains(s.sample())).toBe(true);
  });

  it('reproduces its samples from a seed, and seed(seed(undefined)) reproduces an OS-seeded stream', () => {
    const a = build(), b = build();
    a.seed(42);
    b.seed(42);
    expect(Array.from({ length: 5 }, () => a.sample())).toEqual(Array.from({ length: 5 }, () => b.sample()));
    // Gymnasium's test_seeds: what seed() returned seeds an identical space identically, also for
    // composite spaces (one seed per sub-space, nested).
    const c = build(), d = build();
    const used = c.seed();
    expect(d.seed(used)).toEqual(used);
    expect(d.sample()).toEqual(c.sample());
  });

  it('round-trips through JSON and compares equal', () => {
    const s = build();
    const back = spaceFromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(back.equals(s)).toBe(true);
    expect(s.equals(back)).toBe(true);
    s.seed(3);
    const x = s.sample();
    expect(back.fromJsonable(JSON.parse(JSON.stringify(s.toJsonable(x))))).toEqual(x);
  });

  it('flattens to flatdim values and unflattens back', () => {
    const s = build();
    s.seed(1);
    const x = s.sample();
    const f = flatten(s, x);
    expect(f.length).toBe(s.flatdim);
    expect(flattenSpace(s).contains(f)).toBe(true);
    expect(unflatten(s, f)).toEqual(x);
  });
});

describe('space membership', () => {
  it('Box checks dtype, length and bounds', () => {
    const b = new Box(-1, 1, [2]);
    expect(b.contains(new Float32Array([0, 1]))).toBe(true);
    expect(b.contains(new Float64Array([0, 1]))).toBe(false);
    expect(b.contains(new Float32Array([0, 1.5]))).toBe(false);
    expect(b.contains(new Float32Array([0]))).toBe(false);
    expect(b.contains(new Float32Array([NaN, 0]))).toBe(false);
    expect(b.contains([0, 0])).toBe(true); // plain arrays are cast to the dtype, as np.asarray does
    expect(b.contains([0, 2])).toBe(false);
  });

  it('Discrete checks integer range with start', () => {
    const d = new Discrete(3, 2);
    expect([2, 3, 4].every((v) => d.contains(v))).toBe(true);
    expect([1, 5, 2.5, '2', null].some((v) => d.contains(v))).toBe(false);
  });

  it('Dict needs exactly its keys', () => {
    const d = new Dict({ a: new Discrete(2) });
    expect(d.contains({ a: 1 })).toBe(true);
    expect(d.contains({ a: 1, b: 0 })).toBe(false);
    expect(d.contains({})).toBe(false);
  });

  it('bad constructions name the problem', () => {
    expect(() => new Discrete(0)).toThrow('n must be a positive integer');
    expect(() => new Box(1, 0, [1])).toThrow('low > high');
    expect(() => new Box([0, 0], [1], undefined)).toThrow('low has shape [2] but high has [1]');
    expect(() => new Box([0, 0], [1], [2])).toThrow('high has 1 values');
    expect(() => new MultiDiscrete([2, 0])).toThrow('nvec');
  });
});

describe('Discrete.sample', () => {
  it('draws only unmasked values and returns start for an all-zero mask (Gymnasium)', () => {
    const d = new Discrete(4, 10);
    d.seed(0);
    for (let i = 0; i < 200; i++) expect([11, 13]).toContain(d.sample({ mask: new Int8Array([0, 1, 0, 1]) }));
    expect(d.sample({ mask: new Int8Array(4) })).toBe(10);
    expect(() => d.sample({ mask: new Int8Array(3) })).toThrow('mask has 3 entries');
    expect(() => d.sample({ mask: new Int8Array([0, 1, 0, 1]), probability: [0.25, 0.25, 0.25, 0.25] })).toThrow('either mask or probability');
  });

  it('follows a probability vector', () => {
    const d = new Discrete(3);
    d.seed(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 6000; i++) counts[d.sample({ probability: [0.5, 0, 0.5] })]! += 1;
    expect(counts[1]).toBe(0);
    expect(Math.abs(counts[0]! - 3000)).toBeLessThan(250);
    expect(() => d.sample({ probability: [0.5, 0.2, 0.2] })).toThrow('sum to 1');
  });

  it('never disturbs an env stream: spaces own their generators', () => {
    const a = new Discrete(5), b = new Discrete(5);
    a.seed(7);
    b.seed(7);
    const seqA = Array.from({ length: 10 }, () => a.sample());
    const c = new Discrete(9);
    c.seed(7);
    c.sample();
    expect(Array.from({ length: 10 }, () => b.sample())).toEqual(seqA);
  });
});

describe('composite seeding', () => {
  it('Dict seeds per key from an integer, or from a record', () => {
    const mk = () => new Dict({ a: new Discrete(100), b: new Discrete(100) });
    const x = mk(), y = mk();
    x.seed(5);
    y.seed(5);
    expect(x.sample()).toEqual(y.sample());
    const z = mk();
    expect(z.seed({ a: 1, b: 2 })).toEqual({ a: 1, b: 2 });
    expect(() => z.seed({ q: 1 })).toThrow('unknown keys q');
  });
});
