/**
 * Spaces and the space utilities (Gymnasium `gymnasium.spaces` and `spaces.utils`): `flatdim`,
 * `flatten`, `unflatten`, `flattenSpace`, and the JSON round trip `spaceFromJSON(space.toJSON())`.
 */
import { Box, type BoxValue } from './box.js';
import { isBoxDtype } from './dtypes.js';
import { Dict } from './dict.js';
import { Discrete } from './discrete.js';
import { MultiBinary } from './multi-binary.js';
import { MultiDiscrete, nest } from './multi-discrete.js';
import { Space, type SpaceJSON } from './space.js';
import { Tuple } from './tuple.js';

export { Box, Dict, Discrete, MultiBinary, MultiDiscrete, Space, Tuple };
export type { BoxBound, BoxDtype, BoxValue, NestedNumbers } from './box.js';
export { canCastSafely, dtypeOf, makeArray, type NumericArray } from './dtypes.js';
export type { SeedResult, SpaceJSON } from './space.js';
export type { DictValue } from './dict.js';

export function flatdim(space: Space<unknown>): number {
  return space.flatdim;
}

/** The flat Box a space flattens into: float32 when every leaf fits, float64 otherwise. */
export function flattenSpace(space: Space<unknown>): Box<'float32'> | Box<'float64'> {
  if (space instanceof Box) {
    const { low, high } = space.givenBounds();
    return space.flatFloat32 ? new Box(low, high, [space.size], 'float32') : new Box(low, high, [space.size], 'float64');
  }
  const n = space.flatdim;
  const low = new Float64Array(n), high = new Float64Array(n);
  fillBounds(space, low, high, 0);
  return space.flatFloat32 ? new Box(low, high, [n], 'float32') : new Box(low, high, [n], 'float64');
}

function fillBounds(space: Space<unknown>, low: Float64Array, high: Float64Array, offset: number): void {
  if (space instanceof Box) {
    const b = space.givenBounds();
    low.set(b.low, offset);
    high.set(b.high, offset);
  } else if (space instanceof Tuple) {
    let o = offset;
    for (const s of space.spaces) {
      fillBounds(s, low, high, o);
      o += s.flatdim;
    }
  } else if (space instanceof Dict) {
    let o = offset;
    for (const k of space.keys) {
      const s = space.spaces[k]!;
      fillBounds(s, low, high, o);
      o += s.flatdim;
    }
  } else {
    for (let i = 0; i < space.flatdim; i++) high[offset + i] = 1; // one-hot and binary entries lie in [0, 1]
  }
}

/** The flat vector of a sample (a fresh array of the flat space's dtype). */
export function flatten<T>(space: Space<T>, x: T): Float32Array | Float64Array {
  const out = space.flatFloat32 ? new Float32Array(space.flatdim) : new Float64Array(space.flatdim);
  space.flattenInto(x, out, 0);
  return out;
}

export function unflatten<T>(space: Space<T>, flat: ArrayLike<number>): T {
  if (flat.length !== space.flatdim) throw new Error(`unflatten: got ${flat.length} values, ${space} needs ${space.flatdim}`);
  return space.unflattenFrom(flat, 0);
}

/** Rebuilds a space from its `toJSON()` form. */
export function spaceFromJSON(j: SpaceJSON): Space<unknown> {
  switch (j.type) {
    case 'Box': {
      const low = j.low.map((v) => (v === null ? -Infinity : v));
      const high = j.high.map((v) => (v === null ? Infinity : v));
      if (!isBoxDtype(j.dtype)) throw new Error(`spaceFromJSON: unknown Box dtype ${j.dtype}`);
      return new Box(low, high, j.shape, j.dtype);
    }
    case 'Discrete':
      return new Discrete(j.n, j.start);
    case 'MultiDiscrete':
      return j.shape ? new MultiDiscrete(nest(j.nvec, j.shape), nest(j.start, j.shape)) : new MultiDiscrete(j.nvec, j.start);
    case 'MultiBinary':
      return new MultiBinary(j.n);
    case 'Tuple':
      return new Tuple(j.spaces.map(spaceFromJSON));
    case 'Dict': {
      const spaces: Record<string, Space<unknown>> = {};
      for (const [k, v] of Object.entries(j.spaces)) spaces[k] = spaceFromJSON(v);
      return new Dict(spaces);
    }
    default:
      throw new Error(`spaceFromJSON: unknown space type ${JSON.stringify((j as { type?: unknown }).type)}`);
  }
}

/** Batches a space for a vector env of `n` copies (Gymnasium `batch_space`, Box and Discrete cases). */
export function batchSpace(space: Space<unknown>, n: number): Space<unknown> {
  if (space instanceof Box) {
    const low = new Float64Array(space.size * n), high = new Float64Array(space.size * n);
    const b = space.givenBounds();
    for (let i = 0; i < n; i++) {
      low.set(b.low, i * space.size);
      high.set(b.high, i * space.size);
    }
    return new Box(low, high, [n, ...space.shape], space.dtype);
  }
  if (space instanceof Discrete) return new MultiDiscrete(new Array<number>(n).fill(space.n), new Array<number>(n).fill(space.start));
  if (space instanceof MultiDiscrete) return new Tuple(new Array(n).fill(0).map(() => new MultiDiscrete(nest(space.nvec, space.shape), nest(space.start, space.shape))));
  return new Tuple(new Array(n).fill(0).map(() => spaceFromJSON(space.toJSON())));
}

