/**
 * The simulator's hot-loop generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit
 * state, passes PractRand to 2^47+ bytes). `Rng` (PCG64 on 16-bit limbs, NumPy-compatible) costs a
 * 128-bit multiply per draw; the simulator draws several numbers per transaction, so it seeds one sfc32
 * from its `Rng` and uses that. State is four uint32 words: snapshots copy them.
 */
import type { Rng } from '../core/rng.js';

export class FastRng {
  readonly st = new Uint32Array(4);

  static fromRng(rng: Rng): FastRng {
    const f = new FastRng();
    for (let i = 0; i < 4; i++) f.st[i] = rng.nextUint32();
    if ((f.st[0]! | f.st[1]! | f.st[2]!) === 0) f.st[0] = 1;
    for (let i = 0; i < 12; i++) f.nextU32(); // as the reference seeding does
    return f;
  }

  nextU32(): number {
    const s = this.st;
    let a = s[0]!, b = s[1]!, c = s[2]!, d = s[3]!;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    s[0] = a; s[1] = b; s[2] = c; s[3] = d;
    return t >>> 0;
  }

  /** Uniform in the open interval (0, 1), 32 bits of resolution. */
  random(): number {
    return (this.nextU32() + 0.5) * 2.3283064365386963e-10;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -Math.log(this.random()) * mean;
  }

  getState(): number[] {
    return Array.from(this.st);
  }

  setState(s: readonly number[]): void {
    for (let i = 0; i < 4; i++) this.st[i] = s[i]! >>> 0;
  }
}
