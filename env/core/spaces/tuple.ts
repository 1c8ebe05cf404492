/** `Tuple(spaces)`: a fixed-length array whose element i is in spaces[i] (Gymnasium `spaces.Tuple`). */
import { Space, assertOneOf, describeValue, type SeedInput, type SeedResult, type SpaceJSON } from './space.js';
import { assertSeed } from '../rng.js';

/** Per sub-space masks or probabilities; null/undefined leaves a sub-space unconstrained. */
export interface TupleSampleOptions {
  mask?: readonly unknown[];
  probability?: readonly unknown[];
}

export class Tuple extends Space<unknown[]> {
  readonly shape = undefined;
  readonly dtype = undefined;

  constructor(readonly spaces: readonly Space<unknown>[]) {
    super();
    if (!Array.isArray(spaces) || spaces.length === 0) throw new Error('Tuple: needs a non-empty array of sub-spaces');
    spaces.forEach((s, i) => {
      if (!(s instanceof Space)) throw new Error(`Tuple: element ${i} is not a space: ${describeValue(s)}`);
    });
  }

  get length(): number {
    return this.spaces.length;
  }

  /**
   * Gymnasium's three rules, returning one seed per sub-space:
   * * nothing: every sub-space seeds itself from the OS;
   * * an integer: the tuple's own generator is seeded and draws one seed per sub-space, so `seed(s)`
   *   reproduces everything;
   * * an array: one seed per sub-space (nested for composite sub-spaces), e.g. what `seed()` returned.
   */
  override seed(seed?: SeedInput): SeedResult[] {
    if (Array.isArray(seed)) {
      if (seed.length !== this.spaces.length) throw new Error(`Tuple.seed: got ${seed.length} seeds for ${this.spaces.length} sub-spaces`);
      return this.spaces.map((s, i) => s.seed(seed[i] as SeedInput));
    }
    if (typeof seed === 'object' && seed !== null) throw new Error(`Tuple.seed: expected an integer, an array of seeds or nothing, got ${describeValue(seed)}`);
    assertSeed(seed);
    if (seed === undefined) return this.spaces.map((s) => s.seed());
    super.seed(seed);
    const subs = this.spaces.map(() => this.npRandom.integers(0, 2147483647));
    return this.spaces.map((s, i) => s.seed(subs[i]));
  }

  override sample(opts: TupleSampleOptions = {}): unknown[] {
    const { mask, probability } = opts;
    assertOneOf('Tuple', mask, probability);
    for (const [name, v] of [['mask', mask], ['probability', probability]] as const) {
      if (v === undefined || v === null) continue;
      if (!Array.isArray(v)) throw new Error(`Tuple.sample: ${name} must be an array with one entry per sub-space`);
      if (v.length !== this.spaces.length) throw new Error(`Tuple.sample: ${name} has ${v.length} entries, expected ${this.spaces.length}`);
    }
    return this.spaces.map((s, i) => {
      const m = mask?.[i], p = probability?.[i];
      if (m !== undefined && m !== null) return s.sample({ mask: m });
      if (p !== undefined && p !== null) return s.sample({ probability: p });
      return s.sample();
    });
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
