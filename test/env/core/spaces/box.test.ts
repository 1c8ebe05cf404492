// Box behaviours of Gymnasium 1.x (tests/spaces/test_box.py), restated: shape inference, dtype
// ranges, infinite bounds per dtype kind, membership with NumPy's casting rules, and refused
// sample arguments. Expected values are worked out by hand from those rules.
import { describe, expect, it } from '@jest/globals';
import { Box, type BoxDtype } from '../../../../env/core/spaces/index.js';

const ALL: BoxDtype[] = ['float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64'];
const ARRAY: Record<BoxDtype, string> = {
  float32: 'Float32Array', float64: 'Float64Array', int8: 'Int8Array', int16: 'Int16Array', int32: 'Int32Array',
  int64: 'BigInt64Array', uint8: 'Uint8Array', uint16: 'Uint16Array', uint32: 'Uint32Array', uint64: 'BigUint64Array',
};

describe('Box construction', () => {
  it('infers shape [1] from two scalar bounds, and the shape of an array bound', () => {
    expect(new Box(0, 1).shape).toEqual([1]);
    expect(new Box([0, 0, 0], 1).shape).toEqual([3]);
    expect(new Box(0, [[1, 2], [3, 4], [5, 6]]).shape).toEqual([3, 2]);
    expect(new Box(0, 1, [2, 3]).size).toBe(6);
  });

  it('refuses low and high arrays of different shapes, and ragged nesting', () => {
    expect(() => new Box([0, 0], [1, 1, 1])).toThrow('low has shape [2] but high has [3]');
    expect(() => new Box([[0], [0, 0]], 1)).toThrow('rectangular');
  });

  it.each(ALL)('holds %s samples in the typed array of that width', (dtype) => {
    const b = new Box(0, 100, [4], dtype);
    b.seed(0);
    const x = b.sample();
    expect(x.constructor.name).toBe(ARRAY[dtype]);
    expect(x.length).toBe(4);
    expect(b.contains(x)).toBe(true);
  });

  it.each([
    ['uint8', -1, 1],
    ['uint8', 0, 256],
    ['int8', -129, 0],
    ['int8', 0, 128],
    ['uint16', 0, 65536],
    ['int16', -32769, 0],
    ['uint32', 0, 4294967296],
    ['int32', 0, 2147483648],
    ['float32', -1e39, 0],
  ] as [BoxDtype, number, number][])('refuses %s bounds [%d, %d] outside the dtype range', (dtype, lo, hi) => {
    expect(() => new Box(lo, hi, [1], dtype)).toThrow('out of the range');
  });

  it('accepts the exact dtype extremes', () => {
    const b = new Box(-128, 127, [1], 'int8');
    expect([b.low[0], b.high[0]]).toEqual([-128, 127]);
    expect(new Box(0, 4294967295, [1], 'uint32').high[0]).toBe(4294967295);
  });

  it('turns a signed integer ±∞ into the dtype extreme, still unbounded', () => {
    const b = new Box(-Infinity, Infinity, [2], 'int16');
    expect(Array.from(b.low)).toEqual([-32768, -32768]);
    expect(Array.from(b.high)).toEqual([32767, 32767]);
    expect(b.isBounded()).toBe(false);
    expect(b.isBounded('below')).toBe(false);
    expect(new Box(0, Infinity, [1], 'int32').isBounded('below')).toBe(true);
  });

  it('refuses an infinite bound for unsigned dtypes, and NaN for any', () => {
    expect(() => new Box(0, Infinity, [1], 'uint8')).toThrow('unsigned dtype uint8 has no Infinity bound');
    expect(() => new Box(-Infinity, 0, [1], 'uint32')).toThrow('unsigned');
    expect(() => new Box(NaN, 0, [1])).toThrow('NaN');
    expect(() => new Box(0, [1, NaN], [2])).toThrow('NaN');
  });

  it('refuses an unknown dtype and a bad isBounded manner', () => {
    expect(() => new Box(0, 1, [1], 'float16' as BoxDtype)).toThrow('unsupported dtype "float16"');
    expect(() => new Box(0, 1).isBounded('sideways' as 'both')).toThrow('manner');
  });

  it('stores bounds as the dtype does: float32-rounded, integer-truncated', () => {
    expect(new Box(0, 0.1, [1], 'float32').high[0]).toBe(Math.fround(0.1));
    expect(new Box(-1.5, 2.7, [1], 'int32').low[0]).toBe(-1);
    expect(new Box(-1.5, 2.7, [1], 'int32').high[0]).toBe(2);
  });
});

describe('Box.sample', () => {
  it('refuses a mask or a probability instead of ignoring it', () => {
    const b = new Box(0, 1, [2]);
    expect(() => b.sample({ mask: new Int8Array([1, 0]) })).toThrow('cannot be given a mask');
    expect(() => b.sample({ probability: [0.5, 0.5] })).toThrow('cannot be given a probability');
  });

  it('keeps integer samples inside [low, high], both ends reachable', () => {
    const b = new Box(-2, 2, [1], 'int8');
    b.seed(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(b.sample()[0]!);
    expect([...seen].sort((x, y) => x - y)).toEqual([-2, -1, 0, 1, 2]);
  });

  it('keeps unbounded int64 samples bigints inside the dtype', () => {
    const b = new Box(-Infinity, Infinity, [3], 'int64');
    b.seed(2);
    const x = b.sample();
    for (const v of x) expect(typeof v).toBe('bigint');
  });

  it('gives a uint8 box with low 0 no wrapped values (never 255 for [0, 3])', () => {
    const b = new Box(0, 3, [8], 'uint8');
    b.seed(3);
    for (let i = 0; i < 50; i++) for (const v of b.sample()) expect(v).toBeLessThanOrEqual(3);
  });
});

describe('Box.contains', () => {
  it('casts plain arrays to the dtype (np.asarray), nested to the shape', () => {
    const b = new Box(0, 1, [2, 2]);
    expect(b.contains([[0, 1], [0.5, 0]])).toBe(true);
    expect(b.contains([0, 1, 0.5, 0])).toBe(false); // shape [4] is not [2, 2]
    expect(b.contains([[0, 1], [0.5, 2]])).toBe(false);
    expect(b.contains([[0, 1], [0.5]])).toBe(false);
    expect(b.contains(0.5)).toBe(false);
    expect(b.contains(['a', 'b', 'c', 'd'])).toBe(false);
  });

  it('truncates plain values toward zero for an integer box (np.asarray([1.7], int32) is [1])', () => {
    const b = new Box(0, 1, [1], 'int32');
    expect(b.contains([1.7])).toBe(true);
    expect(b.contains([2.1])).toBe(false);
  });

  it('accepts typed arrays NumPy casts safely into the dtype, and no others', () => {
    const f64 = new Box(-10, 10, [2], 'float64');
    expect(f64.contains(new Float32Array([1, 2]))).toBe(true);
    expect(f64.contains(new Int32Array([1, 2]))).toBe(true);
    const f32 = new Box(-10, 10, [2], 'float32');
    expect(f32.contains(new Float64Array([1, 2]))).toBe(false);
    expect(f32.contains(new Int16Array([1, 2]))).toBe(true);
    expect(f32.contains(new Int32Array([1, 2]))).toBe(false);
    const i32 = new Box(-10, 10, [2], 'int32');
    expect(i32.contains(new Int8Array([1, 2]))).toBe(true);
    expect(i32.contains(new Uint16Array([1, 2]))).toBe(true);
    expect(i32.contains(new Uint32Array([1, 2]))).toBe(false);
    expect(i32.contains(new Float32Array([1, 2]))).toBe(false);
    const u16 = new Box(0, 10, [2], 'uint16');
    expect(u16.contains(new Int8Array([1, 2]))).toBe(false);
    expect(u16.contains(new Uint8Array([1, 2]))).toBe(true);
    const i64 = new Box(-10, 10, [2], 'int64');
    expect(i64.contains(new BigInt64Array([1n, -2n]))).toBe(true);
    expect(i64.contains(new BigInt64Array([1n, 11n]))).toBe(false);
    expect(i64.contains(new Uint32Array([1, 2]))).toBe(true);
  });
});

// Gymnasium's test_spaces.py checks the sample distributions; restated as moment checks with bounds
// of about 5 standard errors over 4,000 draws.
describe('Box sample distributions', () => {
  const n = 4000;
  const draws = (b: Box<'float64'> | Box<'int32'>, k: number): number[] => {
    b.seed(11);
    return Array.from({ length: n }, () => Number(b.sample()[k]));
  };
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  const variance = (xs: number[]) => mean(xs.map((x) => (x - mean(xs)) ** 2));

  it('bounded: uniform on [low, high] (mean (l+h)/2, variance (h−l)²/12)', () => {
    const xs = draws(new Box(-1, 3, [1], 'float64'), 0);
    expect(Math.abs(mean(xs) - 1)).toBeLessThan(5 * Math.sqrt(16 / 12 / n));
    expect(Math.abs(variance(xs) - 16 / 12)).toBeLessThan(0.1);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...xs)).toBeLessThanOrEqual(3);
  });

  it('bounded below: low + Exp(1) (mean low + 1); above: high − Exp(1); unbounded: N(0, 1)', () => {
    const b = new Box([2, -Infinity, -Infinity], [Infinity, -2, Infinity], [3], 'float64');
    const below = draws(b, 0), above = draws(b, 1), free = draws(b, 2);
    const se = 5 / Math.sqrt(n);
    expect(Math.abs(mean(below) - 3)).toBeLessThan(se);
    expect(Math.min(...below)).toBeGreaterThanOrEqual(2);
    expect(Math.abs(mean(above) + 3)).toBeLessThan(se);
    expect(Math.max(...above)).toBeLessThanOrEqual(-2);
    expect(Math.abs(mean(free))).toBeLessThan(se);
    expect(Math.abs(variance(free) - 1)).toBeLessThan(0.12);
  });

  it('integers: every value of [low, high] about equally often', () => {
    const xs = draws(new Box(0, 4, [1], 'int32'), 0);
    const counts = [0, 1, 2, 3, 4].map((v) => xs.filter((x) => x === v).length);
    // Binomial(4000, 0.2): sd ≈ 25; ±130 is over 5 sd.
    for (const c of counts) expect(Math.abs(c - n / 5)).toBeLessThan(130);
  });
});
