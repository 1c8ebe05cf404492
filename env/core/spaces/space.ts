/**
 * The base of every space, after Gymnasium 1.x `gymnasium.spaces.Space`: a set of values with its own
 * seeded generator (so sampling actions never disturbs the env's stream), membership, JSON round trip,
 * equality and flattening to a vector.
 */
import { Rng, assertSeed } from '../rng.js';

/** What `seed()` returns: the seed used, or the seeds of the sub-spaces for composite spaces. */
export type SeedResult = number | SeedResult[] | { [key: string]: SeedResult };
/**
 * What `seed()` takes: nothing (OS entropy), one integer, or for composite spaces one seed per sub-space
 * (an array for Tuple, a record for Dict), nested like the space; a `SeedResult` can be fed back.
 */
export type SeedInput = number | undefined | readonly SeedInput[] | { readonly [key: string]: SeedInput };

/** Gymnasium's rule for composite sampling: a mask or a probability, never both. */
export function assertOneOf(who: string, mask: unknown, probability: unknown): void {
  if (mask !== undefined && mask !== null && probability !== undefined && probability !== null) {
    throw new Error(`${who}.sample: only one of mask or probability can be given`);
  }
}

/** The JSON form of a space (`toJSON()`); `spaceFromJSON` in ./index.ts reads it back. */
export type SpaceJSON =
  | { type: 'Box'; dtype: string; shape: number[]; low: (number | null)[]; high: (number | null)[] }
  | { type: 'Discrete'; n: number; start: number }
  | { type: 'MultiDiscrete'; nvec: number[]; start: number[]; shape?: number[] }
  | { type: 'MultiBinary'; n: number | number[] }
  | { type: 'Tuple'; spaces: SpaceJSON[] }
  | { type: 'Dict'; spaces: { [key: string]: SpaceJSON } };

export abstract class Space<T = unknown> {
  /** Shape of a sample, when the space has one (Box, MultiDiscrete, MultiBinary: [n], Discrete: []). */
  abstract readonly shape: readonly number[] | undefined;
  /** Element type of a sample, when the space has one. */
  abstract readonly dtype: string | undefined;

  protected rng: Rng | undefined;

  /** The space's own generator (OS-seeded on first use, like Gymnasium). */
  get npRandom(): Rng {
    if (!this.rng) this.rng = Rng.fromSeed();
    return this.rng;
  }

  /** Seeds the space's generator; without a seed, draws one from the OS. Returns the seed(s) used. */
  seed(seed?: SeedInput): SeedResult {
    if (typeof seed === 'object' && seed !== null) throw new Error(`${this.toString()}.seed: expected one integer seed, got ${describeValue(seed)}`);
    assertSeed(seed);
    this.rng = Rng.fromSeed(seed);
    return this.rng.seed;
  }

  /** Draws from `rng` from now on (a composite space lending its generator to a helper space). */
  useRng(rng: Rng): void {
    this.rng = rng;
  }

  /** A random element. `mask` / `probability` are accepted by the spaces that support them. */
  abstract sample(opts?: unknown): T;

  /** Whether `x` is an element of the space (type, shape and bounds). */
  abstract contains(x: unknown): x is T;

  /** Throws a one-line error naming `what` when `x` is not in the space. */
  assertContains(x: unknown, what = 'value'): asserts x is T {
    if (!this.contains(x)) throw new Error(`${what} ${describeValue(x)} is not in ${this.toString()}`);
  }

  abstract toJSON(): SpaceJSON;
  abstract equals(other: Space<unknown>): boolean;
  abstract toString(): string;

  /** Length of the flat vector form (`flatten`). */
  abstract readonly flatdim: number;
  /** Writes the flat form of `x` into `out` at `offset` (Discrete → one-hot). */
  abstract flattenInto(x: T, out: Float32Array | Float64Array, offset: number): void;
  /** Reads an element back from its flat form at `offset`. */
  abstract unflattenFrom(flat: ArrayLike<number>, offset: number): T;
  /** Whether every leaf of the space is float32-representable (decides the flat dtype). */
  abstract readonly flatFloat32: boolean;

  /** A plain-JSON form of a sample (typed arrays become number arrays). */
  abstract toJsonable(x: T): unknown;
  abstract fromJsonable(j: unknown): T;
}

/** Short printable form of a value for error messages. */
export function describeValue(x: unknown): string {
  if (ArrayBuffer.isView(x)) return `${x.constructor.name}[${Array.from(x as unknown as ArrayLike<number>).slice(0, 8).join(', ')}${(x as unknown as ArrayLike<number>).length > 8 ? ', …' : ''}]`;
  try {
    const s = JSON.stringify(x);
    return s === undefined ? String(x) : s.length > 80 ? s.slice(0, 77) + '…' : s;
  } catch {
    return String(x);
  }
}
