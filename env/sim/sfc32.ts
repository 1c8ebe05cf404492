/**
 * The simulator's random numbers: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit
 * state; PractRand finds no fault up to 2^47+ bytes, https://pracrand.sourceforge.net/). `Rng` (PCG64 on
 * 16-bit limbs, NumPy-compatible) costs a 128-bit multiply per draw and the simulator draws several
 * numbers per transaction, so it seeds one sfc32 from its `Rng` and draws from that. The state is four
 * uint32 words held in the simulator's state, so snapshots copy it with the rest.
 */
import type { Rng } from '../core/rng.js';

/**
 * A new sfc32 state from four draws of `rng`. Unlike the reference seeding, the first outputs are not
 * discarded: every result of this simulator was produced without that warm-up, so adding it would
 * change them all.
 */
export function sfc32Seed(rng: Rng): Uint32Array {
  const st = new Uint32Array(4);
  for (let i = 0; i < 4; i++) st[i] = rng.nextUint32();
  if ((st[0]! | st[1]! | st[2]!) === 0) st[0] = 1;
  return st;
}

/** Advances the state and returns a uniform number in the open interval (0, 1), 32 bits of resolution. */
export function sfc32Uniform(s: Uint32Array): number {
  const a = s[0]!, b = s[1]!, c = s[2]!, d = s[3]!;
  const t = (((a + b) | 0) + d) | 0;
  s[3] = (d + 1) | 0;
  s[0] = b ^ (b >>> 9);
  s[1] = (c + (c << 3)) | 0;
  s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
  return ((t >>> 0) + 0.5) * 2.3283064365386963e-10;
}
