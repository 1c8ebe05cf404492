// Tuple, Dict and MultiDiscrete behaviours of Gymnasium 1.x (tests/spaces/test_tuple.py,
// test_dict.py, test_multidiscrete.py), restated.
import { describe, expect, it } from '@jest/globals';
import { Box, Dict, Discrete, MultiBinary, MultiDiscrete, Tuple } from '../../../../env/core/spaces/index.js';

describe('Tuple seeding', () => {
  it('seed(int) returns one seed per sub-space (none for the tuple itself)', () => {
    const t = new Tuple([new Discrete(5), new Discrete(4)]);
    const seeds = t.seed(123);
    expect(Array.isArray(seeds)).toBe(true);
    expect(seeds).toHaveLength(2);
  });

  it('takes a list of seeds, nested for composite sub-spaces, and returns it', () => {
    const mk = () => new Tuple([new Discrete(5), new Tuple([new Box(0, 1, [3]), new Discrete(2)])]);
    const t = mk();
    expect(t.seed([123, [456, 789]])).toEqual([123, [456, 789]]);
    const sample = t.sample();
    // The same as seeding the leaves one by one.
    const a = new Discrete(5), b = new Box(0, 1, [3]), c = new Discrete(2);
    a.seed(123);
    b.seed(456);
    c.seed(789);
    expect(sample).toEqual([a.sample(), [b.sample(), c.sample()]]);
  });

  it('takes a record seed for a Dict sub-space', () => {
    const t = new Tuple([new Discrete(3), new Dict({ position: new Box(0, 1), velocity: new Discrete(2) })]);
    expect(t.seed([123, { position: 456, velocity: 789 }])).toEqual([123, { position: 456, velocity: 789 }]);
  });

  it('refuses a seed list of the wrong length, a string or a negative seed', () => {
    const t = new Tuple([new Box(0, 1), new Box(0, 1)]);
    expect(() => t.seed([1])).toThrow('got 1 seeds for 2 sub-spaces');
    expect(() => t.seed('a' as unknown as number)).toThrow('non-negative integer');
    expect(() => t.seed(-1)).toThrow('non-negative integer');
  });

  it('refuses elements that are not spaces', () => {
    expect(() => new Tuple(['abc' as unknown as Discrete])).toThrow('element 0 is not a space');
    expect(() => new Tuple([new Box(0, 1), 'abc' as unknown as Discrete])).toThrow('element 1 is not a space');
  });
});

describe('Tuple sampling', () => {
  it('passes a mask or probability per sub-space, null leaving one free', () => {
    const t = new Tuple([new Discrete(2), new Box(-1, 1, [2])]);
    t.seed(0);
    for (let i = 0; i < 20; i++) expect(t.sample({ mask: [new Int8Array([1, 0]), null] })[0]).toBe(0);
    let ones = 0;
    for (let i = 0; i < 1000; i++) ones += t.sample({ probability: [[0.2, 0.8], null] })[0] as number;
    expect(Math.abs(ones / 1000 - 0.8)).toBeLessThan(0.06);
  });

  it('refuses both mask and probability, and lists of the wrong length', () => {
    const t = new Tuple([new Discrete(2), new Box(-1, 1, [2])]);
    expect(() => t.sample({ mask: [null, null], probability: [null, null] })).toThrow('only one of mask or probability');
    expect(() => t.sample({ mask: [null] })).toThrow('mask has 1 entries, expected 2');
    expect(() => t.sample({ probability: [null] })).toThrow('probability has 1 entries, expected 2');
  });
});

describe('Dict seeding and sampling', () => {
  const mk = () =>
    new Dict({
      a: new Box(0, 1, [3, 3]),
      b: new Dict({ b_1: new Box(-100, 100, [2]), b_2: new Box(-1, 1, [2]) }),
      c: new Discrete(5),
    });

  it('a record seeds each key as a lone space with that seed would be', () => {
    const d = mk();
    expect(d.seed({ a: 0, b: { b_1: 1, b_2: 2 }, c: 3 })).toEqual({ a: 0, b: { b_1: 1, b_2: 2 }, c: 3 });
    const a = new Box(0, 1, [3, 3]), b1 = new Box(-100, 100, [2]), b2 = new Box(-1, 1, [2]), c = new Discrete(5);
    a.seed(0);
    b1.seed(1);
    b2.seed(2);
    c.seed(3);
    for (let i = 0; i < 5; i++) expect(d.sample()).toEqual({ a: a.sample(), b: { b_1: b1.sample(), b_2: b2.sample() }, c: c.sample() });
  });

  it('seed(int) returns the seeds it gave each key, which reproduce the samples', () => {
    const d = mk();
    const seeds = d.seed(1) as { a: number; b: { b_1: number; b_2: number }; c: number };
    const a = new Box(0, 1, [3, 3]), c = new Discrete(5);
    a.seed(seeds.a);
    c.seed(seeds.c);
    const x = d.sample();
    expect(x.a).toEqual(a.sample());
    expect(x.c).toEqual(c.sample());
  });

  it('a record seed missing a key is an error (it would be silently irreproducible)', () => {
    expect(() => mk().seed({ a: 0, c: 3 })).toThrow('lacks keys b');
    expect(() => mk().seed({ a: 0, b: { b_1: 1 }, c: 3 })).toThrow('lacks keys b_2');
  });

  it('passes masks and probabilities per key, and refuses both at once', () => {
    const d = new Dict({ a: new Discrete(5), b: new Box(0, 1, [2]) });
    d.seed(0);
    for (let i = 0; i < 10; i++) expect(d.sample({ mask: { a: new Int8Array([0, 1, 0, 0, 0]), b: null } }).a).toBe(1);
    expect(() => d.sample({ mask: { a: null }, probability: { a: null } })).toThrow('only one of mask or probability');
    expect(() => d.sample({ mask: { a: new Int8Array([1, 0, 0]) } })).toThrow('mask has 3 entries');
  });

  it('refuses a sub-space that is not a space', () => {
    expect(() => new Dict({ a: new Discrete(2), b: 'Box' as unknown as Discrete })).toThrow('key "b" is not a space');
  });
});

describe('MultiDiscrete', () => {
  it('contains plain arrays of integers in range', () => {
    const s = new MultiDiscrete([2, 3], [0, 10]);
    expect(s.contains([1, 12])).toBe(true);
    expect(s.contains([2, 12])).toBe(false);
    expect(s.contains([1, 9])).toBe(false);
    expect(s.contains([1, 11.5])).toBe(false);
    expect(s.contains([1])).toBe(false);
    expect(s.contains(new Int32Array([0, 10]))).toBe(true);
    expect(s.contains(new Uint8Array([1, 11]))).toBe(true);
    expect(s.contains(new Float32Array([1, 11]))).toBe(false);
  });

  it('samples from a probability vector per element', () => {
    const s = new MultiDiscrete([2, 3]);
    s.seed(0);
    for (let i = 0; i < 20; i++) expect(Array.from(s.sample({ probability: [[0, 1], [0, 0, 1]] }))).toEqual([1, 2]);
    expect(() => s.sample({ mask: [new Int8Array(2), new Int8Array(3)], probability: [[0, 1], [0, 0, 1]] })).toThrow('only one');
  });

  it('refuses values beyond int32, the dtype of its samples (the largest ones still fit)', () => {
    // values 0 … 2³¹ − 1 and −2³¹ … −2³¹ + 2 are int32; 2³¹ − 2 … 2³¹ + 2 are not
    expect(new MultiDiscrete([2 ** 31]).dtype).toBe('int32');
    expect(() => new MultiDiscrete([3], [-(2 ** 31)])).not.toThrow();
    expect(() => new MultiDiscrete([2, 5], [0, 2 ** 31 - 2])).toThrow('MultiDiscrete: element 1 (start 2147483646, nvec 5) goes beyond int32, the dtype of its samples');
    expect(() => new MultiDiscrete([2], [-(2 ** 31) - 1])).toThrow('goes beyond int32');
    const top = new MultiDiscrete([1], [2 ** 31 - 1]);
    top.seed(0);
    expect(Array.from(top.sample())).toEqual([2 ** 31 - 1]);
  });
});

describe('composite spaces of every kind', () => {
  it('nest and sample members of themselves', () => {
    const s = new Dict({ t: new Tuple([new MultiBinary([2, 2]), new Box(0, 5, [2], 'uint16')]), m: new MultiDiscrete([3, 3]) });
    s.seed(9);
    for (let i = 0; i < 50; i++) expect(s.contains(s.sample())).toBe(true);
  });
});

describe('MultiDiscrete, N-d and indexed (Gymnasium test_multidiscrete.py)', () => {
  it('takes nested nvec and start, and indexes like space[i] / space[i, j]', () => {
    const s = new MultiDiscrete([[3, 4, 5], [6, 7, 8]], [[10, 20, 30], [40, 50, 60]]);
    expect(s.shape).toEqual([2, 3]);
    expect(s.length).toBe(2);
    expect(s.at(0, 1).equals(new Discrete(4, 20))).toBe(true);
    expect(s.at(1).equals(new MultiDiscrete([6, 7, 8], [40, 50, 60]))).toBe(true);
    expect(new MultiDiscrete([3, 4, 5]).at(0).equals(new Discrete(3))).toBe(true);
    expect(() => s.at(2)).toThrow('index 2 is out of range for axis 0 of size 2');
    expect(() => s.at(0, 0, 0)).toThrow('give 1 to 2 indices');
    expect(s.toString()).toBe('MultiDiscrete([[3, 4, 5], [6, 7, 8]])');
  });

  it('contains nested plain arrays of its shape, with start', () => {
    const s = new MultiDiscrete([[3, 4, 5], [6, 7, 8]], [[10, 20, 30], [40, 50, 60]]);
    expect(s.contains([[10, 20, 30], [40, 50, 60]])).toBe(true);
    expect(s.contains([[12, 23, 34], [45, 56, 67]])).toBe(true);
    expect(s.contains([[13, 23, 34], [45, 56, 67]])).toBe(false);
    expect(s.contains([10, 20, 30, 40, 50, 60])).toBe(false);
    expect(s.contains(new Int32Array([10, 20, 30, 40, 50, 60]))).toBe(true);
  });

  it('compares nvec, start and shape', () => {
    const a = new MultiDiscrete([2, 3, 4], [0, 0, 1]);
    expect(a.equals(new MultiDiscrete([2, 3, 4], [0, 0, 1]))).toBe(true);
    expect(a.equals(new MultiDiscrete([2, 4, 3], [0, 0, 1]))).toBe(false);
    expect(a.equals(new MultiDiscrete([2, 3, 4], [1, 0, 1]))).toBe(false);
    expect(a.equals(new MultiDiscrete([2, 3, 4, 2], [1, 0, 0, 0]))).toBe(false);
    expect(new MultiDiscrete([[2, 3]]).equals(new MultiDiscrete([2, 3]))).toBe(false);
  });

  it('gives a size-1 element always its start', () => {
    const s = new MultiDiscrete([5, 1, 3]);
    s.seed(0);
    for (let i = 0; i < 200; i++) expect(s.sample()[1]).toBe(0);
  });

  it('refuses ragged or non-positive nvec', () => {
    expect(() => new MultiDiscrete([[2, 3], [4]])).toThrow('nvec must be positive integers');
    expect(() => new MultiDiscrete([2, 0])).toThrow('nvec must be positive integers');
    expect(() => new MultiDiscrete([2, 3], [0])).toThrow('bad start');
  });
});
