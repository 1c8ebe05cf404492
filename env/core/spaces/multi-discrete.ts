/**
 * `MultiDiscrete(nvec, start)`: a vector of independent discrete values, element i in
 * {start[i], …, start[i] + nvec[i] − 1}, after Gymnasium's `spaces.MultiDiscrete` (one-dimensional).
 * Samples are Int32Arrays. `sample({mask})` takes one 0/1 mask per element.
 */
import { Discrete } from './discrete.js';
import { Space, assertOneOf, type SpaceJSON } from './space.js';

export class MultiDiscrete extends Space<Int32Array> {
  readonly shape: readonly number[];
  readonly dtype = 'int32';
  readonly nvec: readonly number[];
  readonly start: readonly number[];

  constructor(nvec: readonly number[], start?: readonly number[]) {
    super();
    if (nvec.length === 0 || !nvec.every((n) => Number.isInteger(n) && n > 0)) {
      throw new Error(`MultiDiscrete: nvec must be positive integers, got ${JSON.stringify(nvec)}`);
    }
    const st = start ?? nvec.map(() => 0);
    if (st.length !== nvec.length || !st.every(Number.isInteger)) throw new Error(`MultiDiscrete: bad start ${JSON.stringify(start)}`);
    this.nvec = [...nvec];
    this.start = [...st];
    this.shape = [nvec.length];
  }

  override sample(opts: { mask?: readonly ArrayLike<number>[]; probability?: readonly ArrayLike<number>[] } = {}): Int32Array {
    assertOneOf('MultiDiscrete', opts.mask, opts.probability);
    const rng = this.npRandom;
    const out = new Int32Array(this.nvec.length);
    if (opts.probability) {
      // One categorical draw per element, as Discrete draws from a probability vector.
      if (opts.probability.length !== this.nvec.length) throw new Error(`MultiDiscrete.sample: need ${this.nvec.length} probability vectors`);
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

  /** An integer typed array or a plain array of integers, one per element, each in its range. */
  override contains(x: unknown): x is Int32Array {
    let v: number[];
    if (Array.isArray(x)) v = x as number[];
    else if (ArrayBuffer.isView(x) && !(x instanceof Float32Array) && !(x instanceof Float64Array) && !(x instanceof DataView)) v = Array.from(x as unknown as ArrayLike<number | bigint>, Number);
    else return false;
    if (v.length !== this.nvec.length) return false;
    for (let i = 0; i < v.length; i++) {
      const e = v[i]!;
      if (typeof e !== 'number' || !Number.isInteger(e) || e < this.start[i]! || e >= this.start[i]! + this.nvec[i]!) return false;
    }
    return true;
  }

  override toJSON(): SpaceJSON {
    return { type: 'MultiDiscrete', nvec: [...this.nvec], start: [...this.start] };
  }

  override equals(other: Space<unknown>): boolean {
    return other instanceof MultiDiscrete && sameNums(other.nvec, this.nvec) && sameNums(other.start, this.start);
  }

  override toString(): string {
    return `MultiDiscrete([${this.nvec.join(', ')}])`;
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
