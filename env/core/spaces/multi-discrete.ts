/**
 * `MultiDiscrete(nvec, start)`: an array of independent discrete values, element i in
 * {start[i], …, start[i] + nvec[i] − 1}, after Gymnasium's `spaces.MultiDiscrete`, one- or
 * N-dimensional (nested `nvec`). Samples are flat Int32Arrays (row-major). `sample({mask})` and
 * `sample({probability})` take one vector per element, row-major; `at(i, …)` indexes as `space[i, …]`.
 */
import { Discrete } from './discrete.js';
import { bitsOf } from './multi-binary.js';
import { Space, assertOneOf, type SpaceJSON } from './space.js';

export class MultiDiscrete extends Space<Int32Array> {
  readonly shape: readonly number[];
  readonly dtype = 'int32';
  /** Sizes and starts, one per element, flattened row-major (the constructor takes them nested). */
  readonly nvec: readonly number[];
  readonly start: readonly number[];

  /**
   * `nvec` (and `start`, same shape, default 0) is a list, or nested lists for an N-d space
   * (`new MultiDiscrete([[3, 4, 5], [6, 7, 8]])` has shape [2, 3]).
   */
  constructor(nvec: NestedInts, start?: NestedInts) {
    super();
    const n = flattenInts(nvec);
    if (!n || n.values.length === 0 || !n.values.every((v) => Number.isInteger(v) && v > 0)) {
      throw new Error(`MultiDiscrete: nvec must be positive integers, got ${JSON.stringify(nvec)}`);
    }
    const st = start === undefined ? { shape: n.shape, values: n.values.map(() => 0) } : flattenInts(start);
    if (!st || !sameNums(st.shape, n.shape) || !st.values.every(Number.isInteger)) throw new Error(`MultiDiscrete: bad start ${JSON.stringify(start)}`);
    // samples are Int32Arrays: every value start[i] … start[i] + nvec[i] − 1 must fit
    const i32 = st.values.findIndex((s0, i) => s0 < -(2 ** 31) || s0 + n.values[i]! - 1 > 2 ** 31 - 1);
    if (i32 >= 0) throw new Error(`MultiDiscrete: element ${i32} (start ${st.values[i32]}, nvec ${n.values[i32]}) goes beyond int32, the dtype of its samples`);
    this.nvec = n.values;
    this.start = st.values;
    this.shape = n.shape;
  }

  /** Gymnasium's `len(space)`: the size of the first axis. */
  get length(): number {
    return this.shape[0]!;
  }

  /**
   * Gymnasium's `space[i]` / `space[i, j]`: a full index gives that element's `Discrete(n, start)`, a
   * partial one the `MultiDiscrete` of the sub-array. Slices are not offered.
   */
  at(...index: number[]): Discrete | MultiDiscrete {
    if (index.length === 0 || index.length > this.shape.length) throw new Error(`MultiDiscrete.at: give 1 to ${this.shape.length} indices, got ${index.length}`);
    let offset = 0, stride = this.nvec.length;
    index.forEach((i, d) => {
      const dim = this.shape[d]!;
      if (!Number.isInteger(i) || i < 0 || i >= dim) throw new Error(`MultiDiscrete.at: index ${i} is out of range for axis ${d} of size ${dim}`);
      stride /= dim;
      offset += i * stride;
    });
    if (index.length === this.shape.length) return new Discrete(this.nvec[offset]!, this.start[offset]!);
    const sub = this.shape.slice(index.length);
    return new MultiDiscrete(nest(this.nvec.slice(offset, offset + stride), sub), nest(this.start.slice(offset, offset + stride), sub));
  }

  override sample(opts: { mask?: readonly ArrayLike<number>[]; probability?: readonly ArrayLike<number>[] } = {}): Int32Array {
    assertOneOf('MultiDiscrete', opts.mask, opts.probability);
    const rng = this.npRandom;
    const out = new Int32Array(this.nvec.length);
    if (opts.probability) {
      // One categorical draw per element, as Discrete draws from a probability vector.
      if (opts.probability.length !== this.nvec.length) throw new Error(`MultiDiscrete.sample: need ${this.nvec.length} probability vectors (one per element, row-major)`);
      for (let i = 0; i < this.nvec.length; i++) {
        const d = new Discrete(this.nvec[i]!, this.start[i]!);
        d.useRng(rng);
        out[i] = d.sample({ probability: opts.probability[i]! });
      }
      return out;
    }
    if (opts.mask) {
      if (opts.mask.length !== this.nvec.length) throw new Error(`MultiDiscrete.sample: need ${this.nvec.length} masks`);
      for (let i = 0; i < this.nvec.length; i++) {
        const m = opts.mask[i]!;
        if (m.length !== this.nvec[i]) throw new Error(`MultiDiscrete.sample: mask ${i} has ${m.length} entries, expected ${this.nvec[i]}`);
        const valid: number[] = [];
        for (let k = 0; k < m.length; k++) if (m[k] === 1) valid.push(k);
        out[i] = this.start[i]! + (valid.length ? valid[rng.integers(0, valid.length)]! : 0);
      }
      return out;
    }
    // Gymnasium: (random(shape) * nvec).astype(int) + start
    for (let i = 0; i < this.nvec.length; i++) out[i] = Math.floor(rng.random() * this.nvec[i]!) + this.start[i]!;
    return out;
  }

  /** An integer typed array (flat) or plain integers nested to the shape, each in its range. */
  override contains(x: unknown): x is Int32Array {
    if (x instanceof Float32Array || x instanceof Float64Array || x instanceof DataView) return false;
    const v = bitsOf(x, this.shape);
    if (v === undefined) return false;
    for (let i = 0; i < v.length; i++) {
      const e = v[i]!;
      if (typeof e !== 'number' || !Number.isInteger(e) || e < this.start[i]! || e >= this.start[i]! + this.nvec[i]!) return false;
    }
    return true;
  }

  override toJSON(): SpaceJSON {
    return this.shape.length === 1
      ? { type: 'MultiDiscrete', nvec: [...this.nvec], start: [...this.start] }
      : { type: 'MultiDiscrete', nvec: [...this.nvec], start: [...this.start], shape: [...this.shape] };
  }

  override equals(other: Space<unknown>): boolean {
    return other instanceof MultiDiscrete && sameNums(other.shape, this.shape) && sameNums(other.nvec, this.nvec) && sameNums(other.start, this.start);
  }

  override toString(): string {
    return `MultiDiscrete(${JSON.stringify(nest(this.nvec, this.shape)).replace(/,/g, ', ')})`;
  }

  get flatdim(): number {
    return this.nvec.reduce((a, b) => a + b, 0);
  }

  get flatFloat32(): boolean {
    return true;
  }

  override flattenInto(x: Int32Array, out: Float32Array | Float64Array, offset: number): void {
    let o = offset;
    for (let i = 0; i < this.nvec.length; i++) {
      for (let k = 0; k < this.nvec[i]!; k++) out[o + k] = 0;
      out[o + x[i]! - this.start[i]!] = 1;
      o += this.nvec[i]!;
    }
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): Int32Array {
    const out = new Int32Array(this.nvec.length);
    let o = offset;
    for (let i = 0; i < this.nvec.length; i++) {
      let k = 0;
      while (k < this.nvec[i]! && flat[o + k] === 0) k++;
      if (k === this.nvec[i]) throw new Error(`MultiDiscrete.unflatten: element ${i} has no non-zero entry`);
      out[i] = this.start[i]! + k;
      o += this.nvec[i]!;
    }
    return out;
  }

  override toJsonable(x: Int32Array): number[] {
    return Array.from(x);
  }

  override fromJsonable(j: unknown): Int32Array {
    return Int32Array.from(j as number[]);
  }
}

export function sameNums(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Integers, or integers nested to an N-d shape. */
export type NestedInts = readonly number[] | readonly NestedInts[];

/** Shape and row-major values of rectangular nested lists of numbers; undefined when ragged. */
function flattenInts(x: unknown): { shape: number[]; values: number[] } | undefined {
  if (!Array.isArray(x)) return undefined;
  if (x.length === 0 || !Array.isArray(x[0])) return x.every((v) => typeof v === 'number') ? { shape: [x.length], values: [...(x as number[])] } : undefined;
  const parts = x.map(flattenInts);
  const first = parts[0];
  if (!first || parts.some((p) => !p || !sameNums(p.shape, first.shape))) return undefined;
  return { shape: [x.length, ...first.shape], values: parts.flatMap((p) => p!.values) };
}

/** Row-major values back into nested lists of the shape. */
export function nest(values: readonly number[], shape: readonly number[]): NestedInts {
  if (shape.length <= 1) return [...values];
  const inner = values.length / shape[0]!;
  return Array.from({ length: shape[0]! }, (_, i) => nest(values.slice(i * inner, (i + 1) * inner), shape.slice(1))) as NestedInts;
}
