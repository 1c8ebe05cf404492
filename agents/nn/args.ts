/**
 * Checks of a learner's Args at its boundary (`create`, and `load` for the saved ones): a key the
 * algorithm does not have is an error (a misspelt `lr` for `learningRate` would otherwise train with the
 * default and say nothing), each value must have its default's type, and numbers must lie in their range.
 */

/** Refuses keys the defaults do not have, and values whose type differs from the default's. */
export function checkArgTypes(algo: string, defaults: object, args: object): void {
  const d = defaults as Record<string, unknown>;
  for (const [k, v] of Object.entries(args)) {
    if (!(k in d)) throw new Error(`${algo}: no arg ${JSON.stringify(k)} (its args: ${Object.keys(d).join(', ')})`);
    if (v === undefined) continue; // left to the default
    const want = d[k];
    const ok = want === null ? v === null || (typeof v === 'number' && Number.isFinite(v))
      : Array.isArray(want) ? Array.isArray(v)
        : typeof want === 'number' ? typeof v === 'number' && Number.isFinite(v)
          : typeof v === typeof want;
    const what = want === null ? 'null or a finite number' : Array.isArray(want) ? 'an array' : typeof want === 'number' ? 'a finite number' : `a ${typeof want}`;
    if (!ok) throw new Error(`${algo}: ${k} must be ${what}, got ${JSON.stringify(v)}`);
  }
}

/** `v` within [lo, hi] (or (lo, hi] / [lo, hi) when `open` says which end is open). */
export function checkRange(algo: string, name: string, v: number, lo: number, hi: number, open: '' | 'lo' | 'hi' = ''): void {
  const okLo = open === 'lo' ? v > lo : v >= lo;
  const okHi = open === 'hi' ? v < hi : v <= hi;
  if (!(okLo && okHi)) {
    const range = `${open === 'lo' ? '(' : '['}${lo}, ${hi === Infinity ? '∞' : hi}${open === 'hi' || hi === Infinity ? ')' : ']'}`;
    throw new Error(`${algo}: ${name} must be in ${range}, got ${v}`);
  }
}
