/**
 * `MultiBinary(n)`: an array of bits (Int8Array of 0/1, row-major), after Gymnasium's
 * `spaces.MultiBinary`. `n` is a count (shape [n]) or a shape (`MultiBinary([2, 3])`).
 */
import { Space, assertOneOf, type SpaceJSON } from './space.js';

export interface MultiBinarySampleOptions {
  /** Per bit: 0 or 1 forces the bit, 2 leaves it random (Gymnasium's convention). */
  mask?: ArrayLike<number>;
  /** Per bit: the probability that it is 1, in [0, 1]. */
  probability?: ArrayLike<number>;
}

export class MultiBinary extends Space<Int8Array> {
  readonly shape: readonly number[];
  readonly dtype = 'int8';
  /** The count or shape the space was made with. */
  readonly n: number | readonly number[];
  /** Number of bits (product of the shape). */
  readonly size: number;

  constructor(n: number | readonly number[]) {
    super();
    const shape = typeof n === 'number' ? [n] : Array.isArray(n) ? [...(n as readonly number[])] : undefined;
    if (!shape || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new Error(`MultiBinary: n must be a positive integer or a shape of positive integers, got ${JSON.stringify(n)}`);
    }
    this.n = typeof n === 'number' ? n : shape;
    this.shape = shape;
    this.size = shape.reduce((a, b) => a * b, 1);
  }

  /**
   * Uniform bits, or with a mask (0/1 force, 2 random), or with a probability of 1 per bit. As in
   * Gymnasium, a masked sample still draws every bit, so the generator advances the same either way.
   */
  override sample(opts: MultiBinarySampleOptions = {}): Int8Array {
    const { mask, probability } = opts;
    assertOneOf('MultiBinary', mask, probability);
    const rng = this.npRandom;
    const out = new Int8Array(this.size);
    if (probability !== undefined && probability !== null) {
      if (probability.length !== this.size) throw new Error(`MultiBinary.sample: probability has ${probability.length} entries, expected ${this.size}`);
      for (let i = 0; i < this.size; i++) {
        const p = probability[i]!;
        if (!(p >= 0 && p <= 1)) throw new Error(`MultiBinary.sample: probabilities must be in [0, 1], got ${p}`);
      }
      // One uniform draw in [0, 1) per bit; "draw < p" is 1 with probability exactly p (0 never, 1 always).
      for (let i = 0; i < this.size; i++) out[i] = rng.random() < probability[i]! ? 1 : 0;
      return out;
    }
    if (mask !== undefined && mask !== null) {
      if (mask.length !== this.size) throw new Error(`MultiBinary.sample: mask has ${mask.length} entries, expected ${this.size}`);
      for (let i = 0; i < this.size; i++) {
        const m = mask[i];
        if (m !== 0 && m !== 1 && m !== 2) throw new Error(`MultiBinary.sample: mask entries must be 0, 1 or 2, got ${m}`);
      }
    }
    for (let i = 0; i < this.size; i++) {
      const bit = rng.integers(0, 2);
      const m = mask ? mask[i]! : 2;
      out[i] = m === 2 ? bit : m;
    }
    return out;
  }

  /** A typed or plain (nested) array of the space's shape whose entries are all 0 or 1. */
  override contains(x: unknown): x is Int8Array {
    const flat = bitsOf(x, this.shape);
    return flat !== undefined && flat.every((v) => v === 0 || v === 1);
  }

  override toJSON(): SpaceJSON {
    return { type: 'MultiBinary', n: typeof this.n === 'number' ? this.n : [...this.n] };
  }

  override equals(other: Space<unknown>): boolean {
    return other instanceof MultiBinary && other.shape.length === this.shape.length && other.shape.every((d, i) => d === this.shape[i]);
  }

  override toString(): string {
    return `MultiBinary(${typeof this.n === 'number' ? this.n : `[${this.n.join(', ')}]`})`;
  }

  get flatdim(): number {
    return this.size;
  }

  get flatFloat32(): boolean {
    return true;
  }

  override flattenInto(x: Int8Array, out: Float32Array | Float64Array, offset: number): void {
    for (let i = 0; i < this.size; i++) out[offset + i] = x[i]!;
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): Int8Array {
    const out = new Int8Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = flat[offset + i]! ? 1 : 0;
    return out;
  }

  override toJsonable(x: Int8Array): number[] {
    return Array.from(x);
  }

  override fromJsonable(j: unknown): Int8Array {
    return Int8Array.from(j as number[]);
  }
}

/**
 * The entries of x when it has the given shape: a flat typed array of the right length (typed arrays
 * carry no shape), or plain arrays nested to that shape. Undefined otherwise.
 */
export function bitsOf(x: unknown, shape: readonly number[]): number[] | undefined {
  const size = shape.reduce((a, b) => a * b, 1);
  if (ArrayBuffer.isView(x)) {
    const a = x as unknown as ArrayLike<number | bigint>;
    return a.length === size ? Array.from(a, Number) : undefined;
  }
  const out: number[] = [];
  const walk = (v: unknown, depth: number): boolean => {
    if (depth === shape.length) {
      if (typeof v !== 'number') return false;
      out.push(v);
      return true;
    }
    return Array.isArray(v) && v.length === shape[depth] && v.every((e) => walk(e, depth + 1));
  };
  return walk(x, 0) ? out : undefined;
}
