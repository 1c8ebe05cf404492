/**
 * Seeded random numbers, bit-compatible with NumPy's `Generator(PCG64(SeedSequence(seed)))`, which is
 * what Gymnasium's `np_random` is. `Rng.fromSeed(0).uniform(-0.05, 0.05)` gives the same double as
 * `numpy.random.default_rng(0).uniform(-0.05, 0.05)`, so CartPole resets match Gymnasium seed for seed.
 *
 * Bit-compatible with NumPy: `random()`, `uniform()`, `integers()` (ranges below 2^32), `nextUint32()`,
 * `nextUint64()`. Not bit-compatible (NumPy uses ziggurat methods): `normal()`, `exponential()`, which
 * use the polar and inverse-transform methods; they are exact functions of the same stream, so they are
 * deterministic and snapshot-safe, just not equal to NumPy's.
 *
 * The 128-bit PCG state is kept in eight 16-bit limbs inside doubles so that the hot path (one step per
 * 64-bit draw) needs no BigInt and no allocation. The whole state (limbs plus NumPy's cached half-word
 * for 32-bit draws) serialises to a small JSON object: snapshots carry it and restore exactly.
 */
import { randomBytes } from 'node:crypto';

/** Serialised generator state: hex strings of the 128-bit state and increment. */
export interface RngState {
  readonly kind: 'pcg64';
  readonly state: string;
  readonly inc: string;
  readonly hasUint32: boolean;
  readonly uinteger: number;
}

const MASK32 = 0xffffffff;
const TWO32 = 4294967296;
const TWO53_INV = 1 / 9007199254740992;

// PCG64 multiplier 0x2360ED051FC65DA44385DF649FCCF645 in 16-bit limbs, least significant first.
const MUL = [0xf645, 0x9fcc, 0xdf64, 0x4385, 0x5da4, 0x1fc6, 0xed05, 0x2360] as const;

/** Checks the seeding rule Gymnasium applies: a non-negative integer (or nothing). */
export function assertSeed(seed: unknown, what = 'seed'): asserts seed is number | undefined {
  if (seed === undefined || seed === null) return;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new Error(`${what} must be a non-negative integer, got ${JSON.stringify(seed)}`);
  }
}

/** A fresh seed from the operating system, for unseeded generators (as NumPy does). */
export function entropySeed(): number {
  const b = randomBytes(8);
  return (b.readUInt32LE(0) & 0x1fffff) * TWO32 + b.readUInt32LE(4);
}

/**
 * NumPy's `SeedSequence(seed).generate_state(nWords32)`: hashes the seed's 32-bit words into a pool of
 * four words and expands the pool into `nWords32` uint32 words.
 */
export function seedSequenceWords(seed: number, nWords32: number): Uint32Array {
  const entropy: number[] = [];
  let s = seed;
  do {
    entropy.push(s % TWO32);
    s = Math.floor(s / TWO32);
  } while (s > 0);
  const INIT_A = 0x43b0d7e5, MULT_A = 0x931e8875, INIT_B = 0x8b51f9dd, MULT_B = 0x58f38ded;
  const MIX_L = 0xca01f9dd, MIX_R = 0x4973f715;
  let hashConst = INIT_A;
  const hashmix = (value: number): number => {
    value = (value ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_A) >>> 0;
    value = Math.imul(value, hashConst) >>> 0;
    return (value ^ (value >>> 16)) >>> 0;
  };
  const mix = (x: number, y: number): number => {
    const r = (Math.imul(MIX_L, x) - Math.imul(MIX_R, y)) >>> 0;
    return (r ^ (r >>> 16)) >>> 0;
  };
  const pool = new Uint32Array(4);
  for (let i = 0; i < 4; i++) pool[i] = hashmix(i < entropy.length ? entropy[i]! : 0);
  for (let src = 0; src < 4; src++) {
    for (let dst = 0; dst < 4; dst++) if (src !== dst) pool[dst] = mix(pool[dst]!, hashmix(pool[src]!));
  }
  for (let src = 4; src < entropy.length; src++) {
    for (let dst = 0; dst < 4; dst++) pool[dst] = mix(pool[dst]!, hashmix(entropy[src]!));
  }
  const out = new Uint32Array(nWords32);
  let hb = INIT_B;
  for (let i = 0; i < nWords32; i++) {
    let v = (pool[i % 4]! ^ hb) >>> 0;
    hb = Math.imul(hb, MULT_B) >>> 0;
    v = Math.imul(v, hb) >>> 0;
    out[i] = (v ^ (v >>> 16)) >>> 0;
  }
  return out;
}

export class Rng {
  // 128-bit state and increment as 16-bit limbs, least significant first.
  private readonly s = new Float64Array(8);
  private readonly inc = new Float64Array(8);
  private readonly t = new Float64Array(8);
  private hasUint32 = false;
  private uinteger = 0;
  /** The high and low 32 bits of the last 64-bit output (read after `next64()`). */
  private hi = 0;
  private lo = 0;
  /** `getState()`'s hex words of `s` and `inc`, until the state changes (null: not formatted yet). */
  private hexState: string | null = null;
  private hexInc: string | null = null;
  /** The seed this generator was made from, or -1 when it was built from a raw state. */
  seed = -1;

  private constructor() {}

  /** `numpy.random.default_rng(seed)`; without a seed, one is drawn from the OS. */
  static fromSeed(seed?: number): Rng {
    assertSeed(seed);
    const s = seed ?? entropySeed();
    const w = seedSequenceWords(s, 8); // four uint64 = (lo32, hi32) pairs, little-endian
    const rng = new Rng();
    rng.seed = s;
    // initstate = val[0] << 64 | val[1], initseq = val[2] << 64 | val[3]; val[k] = w[2k] | w[2k+1] << 32.
    const initstate = limbsFrom32([w[2]!, w[3]!, w[0]!, w[1]!]);
    const initseq = limbsFrom32([w[6]!, w[7]!, w[4]!, w[5]!]);
    // inc = (initseq << 1) | 1
    let carry = 0;
    for (let i = 0; i < 8; i++) {
      const v = initseq[i]! * 2 + carry;
      rng.inc[i] = v % 65536;
      carry = v >= 65536 ? 1 : 0;
    }
    rng.inc[0] = rng.inc[0]! + 1; // low bit was 0 after the shift
    rng.step();
    addLimbs(rng.s, initstate);
    rng.step();
    return rng;
  }

  static fromState(state: RngState): Rng {
    const rng = new Rng();
    rng.setState(state);
    return rng;
  }

  /** An independent generator in the same state, same seed (what `fromState(getState())` gives, without the hex round trip). */
  clone(): Rng {
    const r = new Rng();
    r.s.set(this.s);
    r.inc.set(this.inc);
    r.hasUint32 = this.hasUint32;
    r.uinteger = this.uinteger;
    r.seed = this.seed;
    return r;
  }

  getState(): RngState {
    // Snapshots of an env that draws nothing between them (SideCore steps draw no numbers) reuse the
    // hex words: formatting 2 × 128 bits dominated the cost of a snapshot.
    if (this.hexState === null) this.hexState = limbsToHex(this.s);
    if (this.hexInc === null) this.hexInc = limbsToHex(this.inc);
    return { kind: 'pcg64', state: this.hexState, inc: this.hexInc, hasUint32: this.hasUint32, uinteger: this.uinteger };
  }

  setState(st: RngState): void {
    if (!st || st.kind !== 'pcg64' || typeof st.state !== 'string' || typeof st.inc !== 'string') {
      throw new Error('not a pcg64 generator state');
    }
    hexToLimbs(st.state, this.s);
    hexToLimbs(st.inc, this.inc);
    // the words just parsed are this state's hex words
    this.hexState = st.state;
    this.hexInc = st.inc;
    this.hasUint32 = !!st.hasUint32;
    this.uinteger = st.uinteger >>> 0;
  }

  /** state = state * MUL + inc (mod 2^128), on 16-bit limbs. */
  private step(): void {
    this.hexState = null;
    const s = this.s, t = this.t;
    for (let k = 0; k < 8; k++) {
      let acc = 0;
      for (let i = 0; i <= k; i++) acc += s[i]! * MUL[k - i]!;
      t[k] = acc;
    }
    let carry = 0;
    for (let k = 0; k < 8; k++) {
      const v = t[k]! + this.inc[k]! + carry;
      const low = v % 65536;
      s[k] = low;
      carry = (v - low) / 65536;
    }
  }

  /** One PCG64 (XSL-RR) output; leaves its halves in `hi`/`lo` as uint32. */
  private next64(): void {
    this.step();
    const s = this.s;
    // x = high64 ^ low64, as two uint32 halves; rot = top 6 bits of the state.
    const xl = ((s[0]! + s[1]! * 65536) ^ (s[4]! + s[5]! * 65536)) >>> 0;
    const xh = ((s[2]! + s[3]! * 65536) ^ (s[6]! + s[7]! * 65536)) >>> 0;
    const rot = s[7]! >>> 10;
    if (rot === 0) { this.hi = xh; this.lo = xl; return; }
    if (rot === 32) { this.hi = xl; this.lo = xh; return; }
    if (rot < 32) {
      this.lo = ((xl >>> rot) | (xh << (32 - rot))) >>> 0;
      this.hi = ((xh >>> rot) | (xl << (32 - rot))) >>> 0;
    } else {
      const r = rot - 32;
      this.lo = ((xh >>> r) | (xl << (32 - r))) >>> 0;
      this.hi = ((xl >>> r) | (xh << (32 - r))) >>> 0;
    }
  }

  /** NumPy's `next_uint32`: each 64-bit output serves two draws, low half first. */
  nextUint32(): number {
    if (this.hasUint32) {
      this.hasUint32 = false;
      return this.uinteger;
    }
    this.next64();
    this.hasUint32 = true;
    this.uinteger = this.hi;
    return this.lo;
  }

  /** A raw 64-bit output as a BigInt (for tests and seed derivation; not for hot loops). */
  nextUint64(): bigint {
    this.next64();
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** Uniform double in [0, 1) with 53 random bits: NumPy's `random()`. */
  random(): number {
    this.next64();
    // (x >> 11) * 2^-53, with x = hi:lo
    return ((this.hi >>> 0) * 2097152 + (this.lo >>> 11)) * TWO53_INV;
  }

  /** NumPy's `uniform(low, high)`: low + (high - low) * random(). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  /**
   * NumPy's `integers(low, high)` (high exclusive) for ranges up to 2^32, by Lemire's method on
   * 32-bit draws, as NumPy does; wider ranges use 64-bit draws (not NumPy-identical).
   */
  integers(low: number, high: number): number {
    const range = high - low - 1; // inclusive range, NumPy's `rng`
    if (!(range >= 0) || !Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
      throw new Error(`integers: need integers low < high, got [${low}, ${high})`);
    }
    if (range === 0) return low;
    if (range === MASK32) return low + this.nextUint32();
    if (range < MASK32) {
      const excl = range + 1;
      let d = this.nextUint32();
      let leftover = mulLow32(d, excl);
      if (leftover < excl) {
        const threshold = (MASK32 - range) % excl;
        while (leftover < threshold) {
          d = this.nextUint32();
          leftover = mulLow32(d, excl);
        }
      }
      const m = mulHigh32(d, excl);
      return low + m;
    }
    // Above 2^32: rejection sampling on 53-bit doubles (exact for safe integers).
    const span = high - low;
    const limit = Math.floor(9007199254740992 / span) * span;
    for (;;) {
      this.next64();
      const x = (this.hi >>> 0) * 2097152 + (this.lo >>> 11);
      if (x < limit) return low + (x % span);
    }
  }

  /** Standard normal by the polar method (deterministic; not NumPy's ziggurat). */
  normal(mean = 0, std = 1): number {
    for (;;) {
      const u = 2 * this.random() - 1, v = 2 * this.random() - 1;
      const r = u * u + v * v;
      if (r > 0 && r < 1) return mean + std * u * Math.sqrt((-2 * Math.log(r)) / r);
    }
  }

  /** Exponential with the given mean by inverse transform (deterministic; not NumPy's ziggurat). */
  exponential(mean = 1): number {
    return -Math.log1p(-this.random()) * mean;
  }

  /** A new non-negative seed drawn from this stream (for seeding sub-generators). */
  deriveSeed(): number {
    return this.integers(0, 2 ** 32);
  }
}

/** Low 32 bits of a*b for uint32 a, b. */
function mulLow32(a: number, b: number): number {
  return Math.imul(a, b) >>> 0;
}

/** High 32 bits of a*b for uint32 a, b (exact, via 16-bit halves). */
function mulHigh32(a: number, b: number): number {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (hh + Math.floor(lh / 65536) + Math.floor(hl / 65536) + Math.floor(mid / 65536)) >>> 0;
}

/** Four uint32 words (least significant first) to eight 16-bit limbs. */
function limbsFrom32(words: number[]): Float64Array {
  const out = new Float64Array(8);
  for (let i = 0; i < 4; i++) {
    out[2 * i] = words[i]! & 0xffff;
    out[2 * i + 1] = words[i]! >>> 16;
  }
  return out;
}

function addLimbs(a: Float64Array, b: Float64Array): void {
  let carry = 0;
  for (let i = 0; i < 8; i++) {
    const v = a[i]! + b[i]! + carry;
    a[i] = v % 65536;
    carry = v >= 65536 ? 1 : 0;
  }
}

/** Char codes of the hex digits, and a scratch of one state word's 32 char codes. */
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const HEX_SCRATCH = new Array<number>(32).fill(0);

/**
 * Eight 16-bit limbs as 32 lowercase hex digits, most significant first. Built from char codes in one
 * call (snapshots call this; a flat string also parses faster than a concatenation).
 */
function limbsToHex(l: Float64Array): string {
  const c = HEX_SCRATCH;
  let k = 0;
  for (let i = 7; i >= 0; i--) {
    const v = l[i]!;
    c[k++] = HEX_CODES[(v >>> 12) & 15]!;
    c[k++] = HEX_CODES[(v >>> 8) & 15]!;
    c[k++] = HEX_CODES[(v >>> 4) & 15]!;
    c[k++] = HEX_CODES[v & 15]!;
  }
  return String.fromCharCode.apply(null, c);
}

/**
 * The last few words parsed, with their limbs: a search restores the same snapshot many times, and
 * parsing dominated a restore. Small and FIFO (the state word and the increment of one or two generators).
 */
const PARSED: { hex: string; limbs: Float64Array }[] = [];

/** The inverse of limbsToHex; anything but exactly 32 lowercase hex digits is an error (and leaves `out` as it was). */
function hexToLimbs(h: string, out: Float64Array): void {
  for (let j = 0; j < PARSED.length; j++) {
    if (PARSED[j]!.hex === h) { out.set(PARSED[j]!.limbs); return; }
  }
  parseHexLimbs(h, out);
  if (PARSED.length >= 4) PARSED.shift();
  PARSED.push({ hex: h, limbs: Float64Array.from(out) });
}

function parseHexLimbs(h: string, out: Float64Array): void {
  let ok = typeof h === 'string' && h.length === 32;
  for (let k = 0; ok && k < 32; k++) {
    const c = h.charCodeAt(k);
    ok = (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
  }
  if (!ok) throw new Error(`bad pcg64 state word ${JSON.stringify(h)}`);
  for (let i = 0; i < 8; i++) {
    let v = 0;
    for (let k = (7 - i) * 4, e = k + 4; k < e; k++) {
      const c = h.charCodeAt(k);
      v = v * 16 + (c <= 57 ? c - 48 : c - 87);
    }
    out[i] = v;
  }
}
