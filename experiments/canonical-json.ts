/**
 * Canonical JSON: object keys sorted and undefined members left out, so that equal inputs serialise
 * (and hash) equally whatever order their keys were written in. Used for job hashes, for grouping jobs
 * by environment and by the queue's collector; a module of its own so that none of them imports another
 * for it.
 */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
