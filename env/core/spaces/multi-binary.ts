/** `MultiBinary(n)`: a vector of n bits (Int8Array of 0/1), after Gymnasium's `spaces.MultiBinary`. */
import { Space, type SpaceJSON } from './space.js';

export class MultiBinary extends Space<Int8Array> {
  readonly shape: readonly number[];
  readonly dtype = 'int8';

  constructor(readonly n: number) {
    super();
    if (!Number.isInteger(n) || n <= 0) throw new Error(`MultiBinary: n must be a positive integer, got ${n}`);
    this.shape = [n];
  }

  /** With a mask, entries 0/1 force that bit and 2 leaves it random (Gymnasium's convention). */
  override sample(opts: { mask?: ArrayLike<number> } = {}): Int8Array {
    const rng = this.npRandom;
    const out = new Int8Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const m = opts.mask ? opts.mask[i] : 2;
      if (m !== 0 && m !== 1 && m !== 2) throw new Error(`MultiBinary.sample: mask entries must be 0, 1 or 2, got ${m}`);
      out[i] = m === 2 ? rng.integers(0, 2) : m;
    }
    return out;
  }

  override contains(x: unknown): x is Int8Array {
    if (!(x instanceof Int8Array) || x.length !== this.n) return false;
    for (let i = 0; i < this.n; i++) if (x[i] !== 0 && x[i] !== 1) return false;
    return true;
  }

  override toJSON(): SpaceJSON {
    return { type: 'MultiBinary', n: this.n };
  }

  override equals(other: Space<unknown>): boolean {
    return other instanceof MultiBinary && other.n === this.n;
  }

  override toString(): string {
    return `MultiBinary(${this.n})`;
  }

  get flatdim(): number {
    return this.n;
  }

  get flatFloat32(): boolean {
    return true;
  }

  override flattenInto(x: Int8Array, out: Float32Array | Float64Array, offset: number): void {
    for (let i = 0; i < this.n; i++) out[offset + i] = x[i]!;
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): Int8Array {
    const out = new Int8Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = flat[offset + i]! ? 1 : 0;
    return out;
  }

  override toJsonable(x: Int8Array): number[] {
    return Array.from(x);
  }

  override fromJsonable(j: unknown): Int8Array {
    return Int8Array.from(j as number[]);
  }
}
