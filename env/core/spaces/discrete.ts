/**
 * `Discrete(n, start)`: the integers {start, …, start + n − 1}, after Gymnasium's `spaces.Discrete`.
 * `sample({mask})` draws among the entries whose mask is 1 (an all-zero mask returns `start`, as in
 * Gymnasium); `sample({probability})` draws from a distribution. Draws are bit-identical to Gymnasium.
 */
import { Space, type SpaceJSON } from './space.js';

export interface DiscreteSampleOptions {
  /** 0/1 per element: which elements may be drawn. */
  mask?: ArrayLike<number>;
  /** Probability per element, summing to 1. */
  probability?: ArrayLike<number>;
}

export class Discrete extends Space<number> {
  readonly shape: readonly number[] = [];
  readonly dtype = 'int64';

  constructor(readonly n: number, readonly start = 0) {
    super();
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`Discrete: n must be a positive integer, got ${n}`);
    if (!Number.isSafeInteger(start)) throw new Error(`Discrete: start must be an integer, got ${start}`);
  }

  override sample(opts: DiscreteSampleOptions = {}): number {
    const { mask, probability } = opts;
    if (mask && probability) throw new Error('Discrete.sample: give either mask or probability, not both');
    const rng = this.npRandom;
    if (mask) {
      if (mask.length !== this.n) throw new Error(`Discrete.sample: mask has ${mask.length} entries, expected ${this.n}`);
      const valid: number[] = [];
      for (let i = 0; i < this.n; i++) {
        const m = mask[i]!;
        if (m !== 0 && m !== 1) throw new Error(`Discrete.sample: mask entries must be 0 or 1, got ${m}`);
        if (m === 1) valid.push(i);
      }
      if (valid.length === 0) return this.start;
      return this.start + valid[rng.integers(0, valid.length)]!;
    }
    if (probability) {
      if (probability.length !== this.n) throw new Error(`Discrete.sample: probability has ${probability.length} entries, expected ${this.n}`);
      let total = 0;
      for (let i = 0; i < this.n; i++) {
        const p = probability[i]!;
        if (!(p >= 0 && p <= 1)) throw new Error(`Discrete.sample: probabilities must be in [0, 1], got ${p}`);
        total += p;
      }
      if (Math.abs(total - 1) > 1e-8) throw new Error(`Discrete.sample: probabilities must sum to 1, got ${total}`);
      // NumPy's Generator.choice(p=…): cumulative sum normalised by its last entry, searchsorted 'right'.
      const cdf = new Float64Array(this.n);
      let acc = 0;
      for (let i = 0; i < this.n; i++) cdf[i] = acc += probability[i]!;
      const last = cdf[this.n - 1]!;
      for (let i = 0; i < this.n; i++) cdf[i] = cdf[i]! / last;
      const u = rng.random();
      let i = 0;
      while (i < this.n - 1 && cdf[i]! <= u) i++;
      return this.start + i;
    }
    return this.start + rng.integers(0, this.n);
  }

  override contains(x: unknown): x is number {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  override toJSON(): SpaceJSON {
    return { type: 'Discrete', n: this.n, start: this.start };
  }

  override equals(other: Space<unknown>): boolean {
    return other instanceof Discrete && other.n === this.n && other.start === this.start;
  }

  override toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }

  get flatdim(): number {
    return this.n;
  }

  get flatFloat32(): boolean {
    return true;
  }

  override flattenInto(x: number, out: Float32Array | Float64Array, offset: number): void {
    for (let i = 0; i < this.n; i++) out[offset + i] = 0;
    out[offset + x - this.start] = 1;
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): number {
    for (let i = 0; i < this.n; i++) if (flat[offset + i] !== 0) return this.start + i;
    throw new Error('Discrete.unflatten: the one-hot vector has no non-zero entry');
  }

  override toJsonable(x: number): number {
    return x;
  }

  override fromJsonable(j: unknown): number {
    return Number(j);
  }
}
