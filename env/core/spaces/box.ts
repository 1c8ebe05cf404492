/**
 * `Box`: an n-dimensional box of reals or integers, after Gymnasium 1.x's `spaces.Box`. Samples are
 * typed arrays of the dtype (float32 → Float32Array, int64 → BigInt64Array, …; see ./dtypes.ts),
 * flattened row-major. Bounds may be ±Infinity.
 *
 * Construction follows Gymnasium: scalar bounds without a shape give shape [1]; bounds must lie in the
 * dtype's range (a uint8 Box cannot have low −1), unsigned dtypes take no infinite bound, and a signed
 * integer dtype's infinite bound becomes the dtype's extreme while the coordinate still counts as
 * unbounded for sampling.
 *
 * Sampling follows Gymnasium per coordinate: bounded → uniform, lower-bounded → low + exponential,
 * upper-bounded → high − exponential, unbounded → normal; integer dtypes sample [low, high + 1), floor
 * and clip into the dtype. Fully bounded float boxes sample bit-identically to Gymnasium for the same seed.
 */
import { DTYPES, canCastSafely, dtypeOf, getNum, isBoxDtype, makeArray, setNum, type BoxDtype, type BoxValue, type NumericArray } from './dtypes.js';
import { Space, type SpaceJSON } from './space.js';

export { makeArray };
export type { BoxArrays, BoxDtype, BoxValue } from './dtypes.js';

/** Bounds: a scalar, a flat array (row-major), or nested arrays of the box's shape. */
export type BoxBound = number | ArrayLike<number> | NestedNumbers;
export type NestedNumbers = readonly (number | NestedNumbers)[];

export class Box<D extends BoxDtype = 'float32'> extends Space<BoxValue<D>> {
  readonly shape: readonly number[];
  readonly dtype: D;
  /** Bounds, one per coordinate (row-major), stored at the dtype's precision. */
  readonly low: Float64Array;
  readonly high: Float64Array;
  /** Per coordinate: whether the bound given was finite (an int box's ±∞ is stored as the dtype's extreme). */
  readonly boundedBelow: readonly boolean[];
  readonly boundedAbove: readonly boolean[];
  readonly size: number;

  constructor(low: BoxBound, high: BoxBound, shape?: readonly number[], dtype?: D) {
    super();
    const dt = dtype ?? 'float32';
    if (!isBoxDtype(dt)) throw new Error(`Box: unsupported dtype ${JSON.stringify(dtype)}; use one of ${Object.keys(DTYPES).join(', ')}`);
    this.dtype = dt as D;
    const lowFlat = typeof low === 'number' ? undefined : flattenNested(low, 'low');
    const highFlat = typeof high === 'number' ? undefined : flattenNested(high, 'high');
    if (lowFlat && highFlat && shape === undefined && !sameShape(lowFlat.shape, highFlat.shape)) {
      throw new Error(`Box: low has shape ${JSON.stringify(lowFlat.shape)} but high has ${JSON.stringify(highFlat.shape)}`);
    }
    const sh = shape ?? lowFlat?.shape ?? highFlat?.shape ?? [1];
    if (!Array.isArray(sh) || !sh.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`Box: bad shape ${JSON.stringify(sh)}`);
    this.shape = [...sh];
    this.size = sh.reduce((a, b) => a * b, 1);
    const info = DTYPES[this.dtype];
    const expand = (b: BoxBound, flat: { values: number[] } | undefined, name: 'low' | 'high'): { v: Float64Array; bounded: boolean[] } => {
      const v = new Float64Array(this.size);
      const bounded = new Array<boolean>(this.size);
      if (flat && flat.values.length !== this.size) {
        throw new Error(`Box: ${name} has ${flat.values.length} values, shape ${JSON.stringify(sh)} needs ${this.size}`);
      }
      for (let i = 0; i < this.size; i++) {
        let x = flat ? flat.values[i]! : (b as number);
        if (typeof x !== 'number' || Number.isNaN(x)) throw new Error(`Box: ${name} must be numbers, not NaN; got ${String(x)} at index ${i}`);
        bounded[i] = Number.isFinite(x);
        if (!bounded[i]) {
          const wrongSign = name === 'low' ? x > 0 : x < 0;
          if (wrongSign) throw new Error(`Box: ${name} cannot be ${x}`);
          if (info.kind === 'u') throw new Error(`Box: unsigned dtype ${this.dtype} has no ${x} bound (${name})`);
          if (info.kind === 'i') x = name === 'low' ? info.min : info.max;
        } else if (x < info.min || x > info.max) {
          throw new Error(`Box: ${name} ${x} is out of the range of ${this.dtype} [${info.min}, ${info.max}]`);
        }
        // The bound as NumPy stores it: rounded to float32, or truncated toward zero for integer dtypes.
        v[i] = info.kind === 'f' ? (this.dtype === 'float32' ? Math.fround(x) : x) : Math.trunc(x);
      }
      return { v, bounded };
    };
    const lo = expand(low, lowFlat, 'low'), hi = expand(high, highFlat, 'high');
    this.low = lo.v;
    this.high = hi.v;
    this.boundedBelow = lo.bounded;
    this.boundedAbove = hi.bounded;
    for (let i = 0; i < this.size; i++) {
      if (this.low[i]! > this.high[i]!) throw new Error(`Box: low > high at index ${i}: [${this.low[i]}, ${this.high[i]}]`);
    }
  }

  /** The bounds as given: ±Infinity where a coordinate is unbounded (for building derived boxes). */
  givenBounds(): { low: Float64Array; high: Float64Array } {
    const low = this.low.map((v, i) => (this.boundedBelow[i] ? v : -Infinity));
    const high = this.high.map((v, i) => (this.boundedAbove[i] ? v : Infinity));
    return { low, high };
  }

  /** Gymnasium's `is_bounded(manner)`: every coordinate bounded below, above, or both. */
  isBounded(manner: 'both' | 'below' | 'above' = 'both'): boolean {
    if (manner !== 'both' && manner !== 'below' && manner !== 'above') throw new Error(`Box.isBounded: manner must be both, below or above, got ${JSON.stringify(manner)}`);
    const below = this.boundedBelow.every(Boolean), above = this.boundedAbove.every(Boolean);
    return manner === 'both' ? below && above : manner === 'below' ? below : above;
  }

  /** Box takes neither a mask nor a probability (Gymnasium raises too, rather than ignore them). */
  override sample(opts?: { mask?: unknown; probability?: unknown }): BoxValue<D> {
    if (opts?.mask !== undefined && opts.mask !== null) throw new Error('Box.sample cannot be given a mask');
    if (opts?.probability !== undefined && opts.probability !== null) throw new Error('Box.sample cannot be given a probability');
    const rng = this.npRandom;
    const info = DTYPES[this.dtype];
    const out = makeArray(this.dtype, this.size);
    const isInt = info.kind !== 'f';
    // Gymnasium draws the four coordinate kinds in this order, each as one vectorised call.
    const kinds: number[][] = [[], [], [], []]; // unbounded, low-bounded, high-bounded, bounded
    for (let i = 0; i < this.size; i++) {
      const lo = this.boundedBelow[i]!, hi = this.boundedAbove[i]!;
      kinds[lo ? (hi ? 3 : 1) : hi ? 2 : 0]!.push(i);
    }
    const raw = new Float64Array(this.size);
    for (const i of kinds[0]!) raw[i] = rng.normal();
    for (const i of kinds[1]!) raw[i] = rng.exponential() + this.low[i]!;
    for (const i of kinds[2]!) raw[i] = (isInt ? this.high[i]! + 1 : this.high[i]!) - rng.exponential();
    for (const i of kinds[3]!) raw[i] = rng.uniform(this.low[i]!, isInt ? this.high[i]! + 1 : this.high[i]!);
    // Integers: floor, then clip into the dtype as Gymnasium does (signed types keep 2 away from the ends).
    const margin = info.kind === 'i' ? 2 : 0;
    for (let i = 0; i < this.size; i++) {
      let v = raw[i]!;
      if (isInt) v = Math.min(Math.max(Math.floor(v), info.min + margin, this.low[i]!), info.max - margin, this.high[i]!);
      setNum(out, i, v);
    }
    return out;
  }

  /**
   * Membership as Gymnasium's: a typed array must be of a dtype NumPy casts safely into this one
   * (float32 data is in a float64 Box, float64 data is not in a float32 one); a plain (nested) array
   * is first cast to the dtype, as `np.asarray(x, dtype)` does. Then shape and bounds must agree.
   */
  override contains(x: unknown): x is BoxValue<D> {
    let values: ArrayLike<number> | NumericArray;
    if (x instanceof DTYPES[this.dtype].ctor) {
      if ((x as NumericArray).length !== this.size) return false; // the common case: the Box's own array type
      values = x as NumericArray;
    } else if (ArrayBuffer.isView(x)) {
      const d = dtypeOf(x);
      if (d === undefined || !canCastSafely(d, this.dtype) || (x as NumericArray).length !== this.size) return false;
      values = x as NumericArray;
    } else if (Array.isArray(x)) {
      const flat = tryFlattenNested(x);
      if (!flat || !sameShape(flat.shape, this.shape)) return false;
      const cast = castPlain(flat.values, this.dtype);
      if (!cast) return false;
      values = cast;
    } else return false;
    for (let i = 0; i < this.size; i++) {
      const v = typeof values[i] === 'bigint' ? Number(values[i]) : (values[i] as number);
      if (!(v >= this.low[i]! && v <= this.high[i]!)) return false;
    }
    return true;
  }

  override toJSON(): SpaceJSON {
    return {
      type: 'Box',
      dtype: this.dtype,
      shape: [...this.shape],
      low: Array.from(this.low, (v, i) => (this.boundedBelow[i] ? v : null)),
      high: Array.from(this.high, (v, i) => (this.boundedAbove[i] ? v : null)),
    };
  }

  /** Same dtype, shape, bounds and boundedness. */
  override equals(other: Space<unknown>): boolean {
    if (!(other instanceof Box) || other.dtype !== this.dtype || other.size !== this.size) return false;
    if (!sameShape(other.shape, this.shape)) return false;
    for (let i = 0; i < this.size; i++) {
      if (other.low[i] !== this.low[i] || other.high[i] !== this.high[i]) return false;
      if (other.boundedBelow[i] !== this.boundedBelow[i] || other.boundedAbove[i] !== this.boundedAbove[i]) return false;
    }
    return true;
  }

  override toString(): string {
    const lo = uniformOr(this.low), hi = uniformOr(this.high);
    return `Box(${lo}, ${hi}, [${this.shape.join(', ')}], ${this.dtype})`;
  }

  get flatdim(): number {
    return this.size;
  }

  get flatFloat32(): boolean {
    return this.dtype === 'float32' || this.dtype === 'int8' || this.dtype === 'int16' || this.dtype === 'uint8' || this.dtype === 'uint16';
  }

  override flattenInto(x: BoxValue<D>, out: Float32Array | Float64Array, offset: number): void {
    for (let i = 0; i < this.size; i++) out[offset + i] = getNum(x, i);
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): BoxValue<D> {
    const out = makeArray(this.dtype, this.size);
    for (let i = 0; i < this.size; i++) setNum(out, i, flat[offset + i]!);
    return out;
  }

  /** Numbers (int64/uint64 values beyond 2^53 lose precision in JSON). */
  override toJsonable(x: BoxValue<D>): number[] {
    return Array.from({ length: x.length }, (_, i) => getNum(x, i));
  }

  override fromJsonable(j: unknown): BoxValue<D> {
    if (!Array.isArray(j)) throw new Error('Box.fromJsonable: expected an array of numbers');
    const out = makeArray(this.dtype, j.length);
    for (let i = 0; i < j.length; i++) setNum(out, i, Number(j[i]));
    return out;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Shape and row-major values of a (nested) array of numbers; undefined when ragged or not numbers. */
function tryFlattenNested(x: unknown): { shape: number[]; values: number[] } | undefined {
  if (ArrayBuffer.isView(x)) return { shape: [(x as NumericArray).length], values: Array.from(x as unknown as ArrayLike<number | bigint>, Number) };
  if (!Array.isArray(x)) return undefined;
  if (x.length === 0 || !Array.isArray(x[0])) {
    return x.every((v) => typeof v === 'number') ? { shape: [x.length], values: x as number[] } : undefined;
  }
  const parts = x.map(tryFlattenNested);
  const first = parts[0];
  if (!first || parts.some((p) => !p || !sameShape(p.shape, first.shape))) return undefined;
  return { shape: [x.length, ...first.shape], values: parts.flatMap((p) => p!.values) };
}

function flattenNested(b: Exclude<BoxBound, number>, name: string): { shape: number[]; values: number[] } {
  const f = Array.isArray(b) || ArrayBuffer.isView(b) ? tryFlattenNested(b) : tryFlattenNested(Array.from(b as ArrayLike<number>));
  if (!f) throw new Error(`Box: ${name} must be a number or a (nested, rectangular) array of numbers`);
  return f;
}

/** `np.asarray(values, dtype)` for in-range values; undefined when a value does not fit the dtype. */
function castPlain(values: readonly number[], dtype: BoxDtype): Float64Array | undefined {
  const info = DTYPES[dtype];
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (info.kind === 'f') out[i] = dtype === 'float32' ? Math.fround(v) : v;
    else {
      if (!Number.isFinite(v) || Math.trunc(v) < info.min || Math.trunc(v) > info.max) return undefined;
      out[i] = Math.trunc(v);
    }
  }
  return out;
}

function uniformOr(a: Float64Array): string {
  return a.every((v) => v === a[0]) ? String(a[0]) : `[${Array.from(a).join(', ')}]`;
}
