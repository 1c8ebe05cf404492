/**
 * `Dict(spaces)`: a record whose key k is in spaces[k] (Gymnasium `spaces.Dict`). Keys are kept in
 * sorted order, as Gymnasium does for plain mappings, so flattening and seeding are order-stable.
 */
import { Space, assertOneOf, describeValue, type SeedInput, type SeedResult, type SpaceJSON } from './space.js';
import { assertSeed } from '../rng.js';

export type DictValue = Record<string, unknown>;

export class Dict extends Space<DictValue> {
  readonly shape = undefined;
  readonly dtype = undefined;
  readonly spaces: Readonly<Record<string, Space<unknown>>>;
  readonly keys: readonly string[];

  constructor(spaces: Record<string, Space<unknown>>) {
    super();
    if (typeof spaces !== 'object' || spaces === null || Array.isArray(spaces) || spaces instanceof Space) {
      throw new Error(`Dict: expected a record of sub-spaces, got ${describeValue(spaces)}`);
    }
    this.keys = Object.keys(spaces).sort();
    if (this.keys.length === 0) throw new Error('Dict: needs at least one sub-space');
    for (const k of this.keys) if (!(spaces[k] instanceof Space)) throw new Error(`Dict: key ${JSON.stringify(k)} is not a space: ${describeValue(spaces[k])}`);
    const sorted: Record<string, Space<unknown>> = {};
    for (const k of this.keys) sorted[k] = spaces[k]!;
    this.spaces = sorted;
  }

  /**
   * Gymnasium's rules, returning one seed per key: nothing seeds every sub-space from the OS; an
   * integer seeds the dict's generator, which draws a seed per key in key order; a record gives every
   * key its seed (nested for composite sub-spaces). A record must name every key and no other, so a
   * seeded Dict is always fully reproducible.
   */
  override seed(seed?: SeedInput): Record<string, SeedResult> {
    const out: Record<string, SeedResult> = {};
    if (seed !== undefined && seed !== null && typeof seed === 'object') {
      if (Array.isArray(seed)) throw new Error(`Dict.seed: expected an integer, a record of seeds or nothing, got an array`);
      const rec = seed as { readonly [key: string]: SeedInput };
      const extra = Object.keys(rec).filter((k) => !(k in this.spaces));
      if (extra.length) throw new Error(`Dict.seed: unknown keys ${extra.join(', ')}`);
      const missing = this.keys.filter((k) => !(k in rec));
      if (missing.length) throw new Error(`Dict.seed: the seed record lacks keys ${missing.join(', ')}`);
      for (const k of this.keys) out[k] = this.spaces[k]!.seed(rec[k]);
      return out;
    }
    assertSeed(seed);
    if (seed === undefined) {
      for (const k of this.keys) out[k] = this.spaces[k]!.seed();
      return out;
    }
    super.seed(seed);
    const subs = this.keys.map(() => this.npRandom.integers(0, 2147483647));
    this.keys.forEach((k, i) => (out[k] = this.spaces[k]!.seed(subs[i])));
    return out;
  }

  override sample(opts: { mask?: Record<string, unknown>; probability?: Record<string, unknown> } = {}): DictValue {
    const { mask, probability } = opts;
    assertOneOf('Dict', mask, probability);
    for (const [name, v] of [['mask', mask], ['probability', probability]] as const) {
      if (v === undefined || v === null) continue;
      if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`Dict.sample: ${name} must be a record with one entry per key`);
      const extra = Object.keys(v).filter((k) => !(k in this.spaces));
      if (extra.length) throw new Error(`Dict.sample: ${name} has unknown keys ${extra.join(', ')}`);
    }
    const out: DictValue = {};
    for (const k of this.keys) {
      const m = mask?.[k], p = probability?.[k];
      const s = this.spaces[k]!;
      out[k] = m !== undefined && m !== null ? s.sample({ mask: m }) : p !== undefined && p !== null ? s.sample({ probability: p }) : s.sample();
    }
    return out;
  }

  override contains(x: unknown): x is DictValue {
    if (typeof x !== 'object' || x === null || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
    const r = x as DictValue;
    if (Object.keys(r).length !== this.keys.length) return false;
    return this.keys.every((k) => k in r && this.spaces[k]!.contains(r[k]));
  }

  override toJSON(): SpaceJSON {
    const spaces: Record<string, SpaceJSON> = {};
    for (const k of this.keys) spaces[k] = this.spaces[k]!.toJSON();
    return { type: 'Dict', spaces };
  }

  override equals(other: Space<unknown>): boolean {
    return other instanceof Dict && other.keys.length === this.keys.length && this.keys.every((k) => other.spaces[k] !== undefined && this.spaces[k]!.equals(other.spaces[k]!));
  }

  override toString(): string {
    return `Dict(${this.keys.map((k) => `${k}: ${this.spaces[k]}`).join(', ')})`;
  }

  get flatdim(): number {
    return this.keys.reduce((a, k) => a + this.spaces[k]!.flatdim, 0);
  }

  get flatFloat32(): boolean {
    return this.keys.every((k) => this.spaces[k]!.flatFloat32);
  }

  override flattenInto(x: DictValue, out: Float32Array | Float64Array, offset: number): void {
    let o = offset;
    for (const k of this.keys) {
      const s = this.spaces[k]!;
      s.flattenInto(x[k], out, o);
      o += s.flatdim;
    }
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): DictValue {
    const out: DictValue = {};
    let o = offset;
    for (const k of this.keys) {
      const s = this.spaces[k]!;
      out[k] = s.unflattenFrom(flat, o);
      o += s.flatdim;
    }
    return out;
  }

  override toJsonable(x: DictValue): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of this.keys) out[k] = this.spaces[k]!.toJsonable(x[k]);
    return out;
  }

  override fromJsonable(j: unknown): DictValue {
    const r = j as Record<string, unknown>;
    const out: DictValue = {};
    for (const k of this.keys) out[k] = this.spaces[k]!.fromJsonable(r[k]);
    return out;
  }
}
