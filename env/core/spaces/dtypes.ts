/**
 * The NumPy dtypes a `Box` can hold, each mapped to the JavaScript typed array of the same width, with
 * the facts Gymnasium's `Box` relies on: the dtype's range (bounds must lie in it), its kind (float,
 * signed or unsigned integer) and NumPy's "safe" casting rule (`np.can_cast(from, to)`), which decides
 * whether an array of one dtype belongs to a Box of another.
 *
 * int64 and uint64 live in BigInt64Array / BigUint64Array, so their samples are bigints; bounds and
 * arithmetic on them go through doubles, exact up to 2^53 (see docs/gymnasium.md). float16 and bool are
 * not offered: Node.js 20 has no Float16Array, and a bool Box is a MultiBinary.
 */

export type BoxDtype = 'float32' | 'float64' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64';

export interface BoxArrays {
  float32: Float32Array;
  float64: Float64Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  uint16: Uint16Array;
  uint32: Uint32Array;
  uint64: BigUint64Array;
}

export type BoxValue<D extends BoxDtype = BoxDtype> = BoxArrays[D];

/** Any typed array a Box may hold. */
export type NumericArray = BoxArrays[BoxDtype];

interface DtypeInfo {
  readonly ctor: new (n: number) => NumericArray;
  readonly kind: 'f' | 'i' | 'u';
  /** Width in bits. */
  readonly bits: number;
  /** The range of the dtype, as doubles (int64/uint64 rounded to the nearest double). */
  readonly min: number;
  readonly max: number;
}

export const DTYPES: Readonly<Record<BoxDtype, DtypeInfo>> = {
  float32: { ctor: Float32Array, kind: 'f', bits: 32, min: -3.4028234663852886e38, max: 3.4028234663852886e38 },
  float64: { ctor: Float64Array, kind: 'f', bits: 64, min: -Number.MAX_VALUE, max: Number.MAX_VALUE },
  int8: { ctor: Int8Array, kind: 'i', bits: 8, min: -128, max: 127 },
  int16: { ctor: Int16Array, kind: 'i', bits: 16, min: -32768, max: 32767 },
  int32: { ctor: Int32Array, kind: 'i', bits: 32, min: -2147483648, max: 2147483647 },
  int64: { ctor: BigInt64Array, kind: 'i', bits: 64, min: -9223372036854775808, max: 9223372036854775807 },
  uint8: { ctor: Uint8Array, kind: 'u', bits: 8, min: 0, max: 255 },
  uint16: { ctor: Uint16Array, kind: 'u', bits: 16, min: 0, max: 65535 },
  uint32: { ctor: Uint32Array, kind: 'u', bits: 32, min: 0, max: 4294967295 },
  uint64: { ctor: BigUint64Array, kind: 'u', bits: 64, min: 0, max: 18446744073709551615 },
};

export function isBoxDtype(d: unknown): d is BoxDtype {
  return typeof d === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, d);
}

/** A zero-filled typed array of the dtype and length. */
export function makeArray<D extends BoxDtype>(dtype: D, length: number): BoxValue<D> {
  return new DTYPES[dtype].ctor(length) as BoxValue<D>;
}

/** The dtype of a typed array, or undefined for anything else (DataView, Float16Array, …). */
export function dtypeOf(x: unknown): BoxDtype | undefined {
  if (!ArrayBuffer.isView(x)) return undefined;
  for (const d of Object.keys(DTYPES) as BoxDtype[]) if (x instanceof DTYPES[d].ctor) return d;
  return undefined;
}

/**
 * NumPy's `can_cast(from, to, 'safe')`: every value of `from` is exactly a value of `to`. Floats take
 * integers whose width fits their mantissa (int8/16 → float32, anything up to 32 bits → float64, and
 * NumPy also lets int64/uint64 → float64); signed integers never go to unsigned ones.
 */
export function canCastSafely(from: BoxDtype, to: BoxDtype): boolean {
  if (from === to) return true;
  const f = DTYPES[from], t = DTYPES[to], fb = f.bits, tb = t.bits;
  if (t.kind === 'f') {
    if (f.kind === 'f') return fb <= tb;
    return tb === 64 || fb <= 16; // NumPy: integers of any width cast safely to float64
  }
  if (f.kind === 'f') return false;
  if (t.kind === 'u') return f.kind === 'u' && fb <= tb;
  return f.kind === 'i' ? fb <= tb : fb < tb; // uintN fits a signed integer only if it is wider
}

/** Element i of a typed array, as a number. */
export function getNum(a: NumericArray, i: number): number {
  return Number(a[i]!);
}

/**
 * Writes v into element i, converting as NumPy's `astype` does for in-range values: truncation toward
 * zero for integer dtypes, rounding to float32 for float32. Out-of-range integers are clamped to the
 * dtype's range (callers keep values in range; the clamp only guards int64's rounded bounds).
 */
export function setNum(a: NumericArray, i: number, v: number): void {
  if (a instanceof BigInt64Array) a[i] = clampBig(BigInt(Math.trunc(v)), -(2n ** 63n), 2n ** 63n - 1n);
  else if (a instanceof BigUint64Array) a[i] = clampBig(BigInt(Math.trunc(v)), 0n, 2n ** 64n - 1n);
  else a[i] = v;
}

function clampBig(v: bigint, lo: bigint, hi: bigint): bigint {
  return v < lo ? lo : v > hi ? hi : v;
}
