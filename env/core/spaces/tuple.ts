/** `Tuple(spaces)`: a fixed-length array whose element i is in spaces[i] (Gymnasium `spaces.Tuple`). */
import { Space, type SeedResult, type SpaceJSON } from './space.js';
import { assertSeed } from '../rng.js';

export class Tuple extends Space<unknown[]> {
  readonly shape = undefined;
  readonly dtype = undefined;

  constructor(readonly spaces: readonly Space<unknown>[]) {
    super();
    if (spaces.length === 0) throw new Error('Tuple: needs at least one sub-space');
  }

  /**
   * Without a seed every sub-space seeds itself from the OS; with one, the tuple's own generator is
   * seeded and draws one seed per sub-space (Gymnasium's rule), so `seed(s)` reproduces everything.
   */
  override seed(seed?: number): SeedResult {
    assertSeed(seed);
    if (seed === undefined) return this.spaces.map((s) => s.seed());
    super.seed(seed);
    const subs = this.spaces.map(() => this.npRandom.integers(0, 2147483647));
    return [seed, ...this.spaces.map((s, i) => s.seed(subs[i]))];
  }

  override sample(opts?: { mask?: readonly unknown[] }): unknown[] {
    return this.spaces.map((s, i) => s.sample(opts?.mask ? { mask: opts.mask[i] } : undefined));
  }

  override contains(x: unknown): x is unknown[] {
    return Array.isArray(x) && x.length === this.spaces.length && this.spaces.every((s, i) => s.contains(x[i]));
  }

  override toJSON(): SpaceJSON {
    return { type: 'Tuple', spaces: this.spaces.map((s) => s.toJSON()) };
  }

  override equals(other: Space<unknown>): boolean {
    return other instanceof Tuple && other.spaces.length === this.spaces.length && this.spaces.every((s, i) => s.equals(other.spaces[i]!));
  }

  override toString(): string {
    return `Tuple(${this.spaces.map(String).join(', ')})`;
  }

  get flatdim(): number {
    return this.spaces.reduce((a, s) => a + s.flatdim, 0);
  }

  get flatFloat32(): boolean {
    return this.spaces.every((s) => s.flatFloat32);
  }

  override flattenInto(x: unknown[], out: Float32Array | Float64Array, offset: number): void {
    let o = offset;
    this.spaces.forEach((s, i) => {
      s.flattenInto(x[i], out, o);
      o += s.flatdim;
    });
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): unknown[] {
    let o = offset;
    return this.spaces.map((s) => {
      const v = s.unflattenFrom(flat, o);
      o += s.flatdim;
      return v;
    });
  }

  override toJsonable(x: unknown[]): unknown[] {
    return this.spaces.map((s, i) => s.toJsonable(x[i]));
  }

  override fromJsonable(j: unknown): unknown[] {
    const a = j as unknown[];
    return this.spaces.map((s, i) => s.fromJsonable(a[i]));
  }
}
