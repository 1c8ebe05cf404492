/**
 * The bin of a sample in a histogram of geometric bins: bin b holds [base·ratio^b, base·ratio^(b+1)),
 * everything below `base` falls in bin 0 and everything above the last bin in the last. The bin is
 * defined by the formula ⌊ln(max(x, base) / base) / ln(ratio)⌋ (clipped to bins − 1), and `bin` returns
 * exactly what the formula returns, without a logarithm: the simulator records one or two samples per
 * message, and `Math.log` was a visible part of a message's cost.
 *
 * How: the smallest double at which the formula reaches each bin is found once (bisection down to
 * adjacent doubles). A sample's exponent and top 6 mantissa bits select one of 64 slices per octave,
 * each narrower than a bin (ratio 1 + 1/64 at most, against a bin's `ratio` ≥ 1.02), so a slice holds at
 * most one bin boundary: a table gives the bin at the slice's start, one comparison with the next
 * boundary finishes. This equals the formula wherever the formula never decreases as x grows; the
 * tests compare the two on every boundary's neighbourhood and on random samples.
 */

/** Views of one scratch double, to read a sample's bits (little-endian: word 1 holds sign, exponent, top mantissa). */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = (() => { f64[0] = 1; return u32[1] === 0x3ff00000; })();
/** Bits of word 1 dropped to keep the exponent and the top 6 mantissa bits. */
const SLICE_SHIFT = 14;

export class LogBins {
  private readonly logRatio: number;
  /** thr[b] = the smallest double whose bin by the formula is ≥ b (b = 1 … bins − 1); thr[bins] = ∞. */
  private readonly thr: Float64Array;
  /** Bin at the start of each slice from the one holding `base` up to the one holding thr[bins − 1]. */
  private readonly first: Int32Array;
  private readonly sliceBase: number;
  private readonly top: number;

  constructor(readonly base: number, readonly ratio: number, readonly bins: number) {
    if (!(base > 0)) throw new RangeError(`LogBins: base must be > 0 (got ${base})`);
    // a bin must be wider than a table slice (1 + 1/64), so that a slice holds at most one boundary
    if (!(ratio >= 1.02)) throw new RangeError(`LogBins: ratio must be >= 1.02 (got ${ratio})`);
    if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`LogBins: need at least 2 bins (got ${bins})`);
    this.logRatio = Math.log(ratio);
    const thr = new Float64Array(bins + 1);
    thr[0] = -Infinity;
    thr[bins] = Infinity;
    for (let b = 1; b < bins; b++) thr[b] = this.boundary(b);
    this.thr = thr;
    this.top = thr[bins - 1]!;
    this.sliceBase = sliceOf(base);
    const n = LITTLE_ENDIAN ? sliceOf(this.top) - this.sliceBase + 1 : 0;
    this.first = new Int32Array(n);
    for (let k = 0; k < n; k++) this.first[k] = this.formula(Math.max(base, sliceStart(this.sliceBase + k)));
  }

  /** The bin of x: the formula's value. */
  bin(x: number): number {
    if (!(x > this.base)) return x <= this.base ? 0 : this.formula(x); // NaN: what the formula gives
    if (x >= this.top) return this.bins - 1;
    if (!LITTLE_ENDIAN) return this.formula(x);
    f64[0] = x;
    let b = this.first[(u32[1]! >>> SLICE_SHIFT) - this.sliceBase]!;
    if (x >= this.thr[b + 1]!) b++;
    return b;
  }

  /** The definition, ⌊ln(max(x, base) / base) / ln(ratio)⌋ clipped to the last bin. */
  formula(x: number): number {
    const b = this.unclipped(x);
    return b >= this.bins ? this.bins - 1 : b;
  }

  private unclipped(x: number): number {
    return Math.floor(Math.log(Math.max(x, this.base) / this.base) / this.logRatio);
  }

  /** The smallest double whose unclipped bin is ≥ b (bisection between doubles on each side of base·ratio^b). */
  private boundary(b: number): number {
    const guess = this.base * Math.pow(this.ratio, b);
    let lo = guess / this.ratio ** 0.5, hi = guess * this.ratio ** 0.5;
    if (!(this.unclipped(lo) < b && this.unclipped(hi) >= b)) throw new Error(`LogBins: no boundary of bin ${b} near ${guess}`);
    for (;;) {
      const mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) return hi;
      if (this.unclipped(mid) >= b) hi = mid; else lo = mid;
    }
  }
}

function sliceOf(x: number): number {
  f64[0] = x;
  return u32[1]! >>> SLICE_SHIFT;
}

/** The smallest positive double of slice k. */
function sliceStart(k: number): number {
  const lo = new Uint32Array(2);
  lo[1] = k << SLICE_SHIFT;
  return new Float64Array(lo.buffer)[0]!;
}
