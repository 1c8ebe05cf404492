/**
 * `Box`: an n-dimensional box of reals or integers, after Gymnasium's `spaces.Box`. Samples are typed
 * arrays of the dtype (float32 → Float32Array, …), flattened row-major. Bounds may be ±Infinity.
 *
 * Sampling follows Gymnasium per coordinate: bounded → uniform, lower-bounded → low + exponential,
 * upper-bounded → high − exponential, unbounded → normal; integer dtypes sample [low, high + 1) and
 * floor. Fully bounded float boxes sample bit-identically to Gymnasium for the same seed.
 */
import { Space, type SpaceJSON } from './space.js';

export type BoxDtype = 'float32' | 'float64' | 'int32' | 'uint8';
export interface BoxArrays {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  uint8: Uint8Array;
}
export type BoxValue<D extends BoxDtype = BoxDtype> = BoxArrays[D];

const CTORS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, uint8: Uint8Array } as const;

/** A typed array of the dtype and length. */
export function makeArray<D extends BoxDtype>(dtype: D, length: number): BoxValue<D> {
  return new CTORS[dtype](length) as BoxValue<D>;
}

export class Box<D extends BoxDtype = 'float32'> extends Space<BoxValue<D>> {
  readonly shape: readonly number[];
  readonly dtype: D;
  /** Bounds, one per coordinate (row-major), stored at the dtype's precision. */
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly size: number;

  constructor(low: number | ArrayLike<number>, high: number | ArrayLike<number>, shape?: readonly number[], dtype?: D) {
    super();
    this.dtype = (dtype ?? 'float32') as D;
    if (!(this.dtype in CTORS)) throw new Error(`Box: unsupported dtype ${JSON.stringify(dtype)}`);
    const inferred = typeof low === 'number' ? (typeof high === 'number' ? undefined : [high.length]) : [low.length];
    const sh = shape ?? inferred;
    if (!sh) throw new Error('Box: give a shape when both bounds are scalars');
    if (!sh.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`Box: bad shape ${JSON.stringify(sh)}`);
    this.shape = [...sh];
    this.size = sh.reduce((a, b) => a * b, 1);
    const cast = (v: number) => (this.dtype === 'float32' ? Math.fround(v) : v);
    const expand = (b: number | ArrayLike<number>, name: string): Float64Array => {
      const out = new Float64Array(this.size);
      if (typeof b === 'number') out.fill(cast(b));
      else {
        if (b.length !== this.size) throw new Error(`Box: ${name} has ${b.length} values, shape ${JSON.stringify(sh)} needs ${this.size}`);
        for (let i = 0; i < this.size; i++) out[i] = cast(b[i]!);
      }
      return out;
    };
    this.low = expand(low, 'low');
    this.high = expand(high, 'high');
    for (let i = 0; i < this.size; i++) {
      if (Number.isNaN(this.low[i]!) || Number.isNaN(this.high[i]!) || this.low[i]! > this.high[i]!) {
        throw new Error(`Box: low > high (or NaN) at index ${i}: [${this.low[i]}, ${this.high[i]}]`);
      }
    }
  }

  isBounded(): boolean {
    for (let i = 0; i < this.size; i++) if (!Number.isFinite(this.low[i]!) || !Number.isFinite(this.high[i]!)) return false;
    return true;
  }

  override sample(): BoxValue<D> {
    const rng = this.npRandom;
    const out = makeArray(this.dtype, this.size);
    const isInt = this.dtype !== 'float32' && this.dtype !== 'float64';
    // Gymnasium draws the four coordinate kinds in this order, each as one vectorised call.
    const kinds: number[][] = [[], [], [], []]; // unbounded, low-bounded, high-bounded, bounded
    for (let i = 0; i < this.size; i++) {
      const lo = Number.isFinite(this.low[i]!), hi = Number.isFinite(this.high[i]!);
      kinds[lo ? (hi ? 3 : 1) : hi ? 2 : 0]!.push(i);
    }
    const raw = new Float64Array(this.size);
    for (const i of kinds[0]!) raw[i] = rng.normal();
    for (const i of kinds[1]!) raw[i] = rng.exponential() + this.low[i]!;
    for (const i of kinds[2]!) raw[i] = this.high[i]! - rng.exponential();
    for (const i of kinds[3]!) raw[i] = rng.uniform(this.low[i]!, isInt ? this.high[i]! + 1 : this.high[i]!);
    for (let i = 0; i < this.size; i++) {
      let v = raw[i]!;
      if (isInt) v = Math.min(Math.max(Math.floor(v), this.low[i]!), this.high[i]!);
      out[i] = v;
    }
    return out;
  }

  override contains(x: unknown): x is BoxValue<D> {
    if (!(x instanceof CTORS[this.dtype]) || (x as ArrayLike<number>).length !== this.size) return false;
    const a = x as ArrayLike<number>;
    for (let i = 0; i < this.size; i++) {
      const v = a[i]!;
      if (!(v >= this.low[i]! && v <= this.high[i]!)) return false;
    }
    return true;
  }

  override toJSON(): SpaceJSON {
    return { type: 'Box', dtype: this.dtype, shape: [...this.shape], low: Array.from(this.low, jsonNum), high: Array.from(this.high, jsonNum) };
  }

  override equals(other: Space<unknown>): boolean {
    if (!(other instanceof Box) || other.dtype !== this.dtype || other.size !== this.size) return false;
    if (other.shape.length !== this.shape.length || other.shape.some((d, i) => d !== this.shape[i])) return false;
    for (let i = 0; i < this.size; i++) if (other.low[i] !== this.low[i] || other.high[i] !== this.high[i]) return false;
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
    return this.dtype !== 'float64';
  }

  override flattenInto(x: BoxValue<D>, out: Float32Array | Float64Array, offset: number): void {
    for (let i = 0; i < this.size; i++) out[offset + i] = x[i]!;
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): BoxValue<D> {
    const out = makeArray(this.dtype, this.size);
    for (let i = 0; i < this.size; i++) out[i] = flat[offset + i]!;
    return out;
  }

  override toJsonable(x: BoxValue<D>): number[] {
    return Array.from(x as ArrayLike<number>);
  }

  override fromJsonable(j: unknown): BoxValue<D> {
    if (!Array.isArray(j)) throw new Error('Box.fromJsonable: expected an array of numbers');
    const out = makeArray(this.dtype, j.length);
    for (let i = 0; i < j.length; i++) out[i] = Number(j[i]);
    return out;
  }
}

/** JSON has no Infinity: an infinite bound is written as null (−∞ in `low`, +∞ in `high`). */
function jsonNum(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function uniformOr(a: Float64Array): string {
  return a.every((v) => v === a[0]) ? String(a[0]) : `[${Array.from(a).join(', ')}]`;
}
