/**
 * The merge key of a snapshot: the part of an env's state that its **future rewards** depend on, as an
 * exact string (`stateKey`: every number by its IEEE-754 bits).
 *
 * Merging two search paths at a decision point is exact when everything the future rewards and
 * dynamics depend on is identical; the rest of the snapshot may differ. A SideCore-v1 snapshot
 * (`env/sidecore.ts`, `SideCoreState`) holds, besides the host model's state, the RNG, and the step
 * count, two fields that only feed observations and rendering:
 *
 * * `frames`: the last `history` epochs' statistics, which `observe()` returns and nothing else reads
 *   (the reward is computed from the epoch's own counters and metrics, `env/sidecore/reward.ts`);
 * * `lastInfo`: the last step's info, kept for `render()`.
 *
 * They carry the previous epochs' counters, so two paths that reach the same host state with different
 * recent configurations differ in them, although every future reward is the same. The oracle plays a
 * fixed action log and never looks at observations, so the key leaves these two fields out; everything
 * else is kept, including fields added to the snapshot later (unknown fields count, so an addition can
 * only make merging rarer, never wrong). Wrapper snapshots (`{inner, own}`, `env/core/wrappers`) keep
 * each wrapper's own part (TimeLimit's elapsed steps, …) and project the inner one. A test checks the
 * claim on both tiers: a snapshot whose `frames`/`lastInfo` come from another path has a bit-identical
 * reward sequence under the same actions.
 */

/** Fields of a SideCore-v1 snapshot that only observations and rendering read. */
export const OBSERVATION_ONLY_FIELDS: readonly string[] = ['frames', 'lastInfo'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** A SideCore snapshot: the fields `SideCoreEnv.getState()` writes. */
function isSideCoreState(v: Record<string, unknown>): boolean {
  return 'host' in v && 'rng' in v && 'steps' in v && 'frames' in v && 'lastInfo' in v;
}

/** A wrapper snapshot: exactly `inner` and `own`. */
function isWrapperState(v: Record<string, unknown>): boolean {
  const keys = Object.keys(v);
  return keys.length === 2 && 'inner' in v && 'own' in v;
}

/** The snapshot without its observation-only parts (a shallow projection; nothing is copied deeply). */
export function futureState(state: unknown): unknown {
  if (!isRecord(state)) return state;
  if (isWrapperState(state)) return { inner: futureState(state.inner), own: state.own };
  if (!isSideCoreState(state)) return state;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(state)) if (!OBSERVATION_ONLY_FIELDS.includes(k)) out[k] = state[k];
  return out;
}

/** The numbers of the key being built, reused from key to key (an off-heap buffer is costly to allocate). */
let keyNumbers = new Float64Array(1024);

/**
 * The exact merge key of a snapshot (see the module comment for what it leaves out, and why): the
 * snapshot's shape (keys in sorted order, array lengths, strings, booleans) as text, then every number's
 * eight IEEE-754 bytes (so −0 ≠ 0 and NaN payloads count). Two snapshots have the same key exactly when
 * they hold the same data. Numbers go through one growing Float64Array instead of one string each: a
 * fast-tier snapshot holds a few hundred numbers, and the search keys every child it simulates.
 */
export function futureKey(state: unknown): string {
  const shape: string[] = [];
  let nums = keyNumbers;
  let n = 0;
  const push = (x: number): void => {
    if (n === nums.length) {
      const bigger = new Float64Array(2 * n);
      bigger.set(nums);
      nums = keyNumbers = bigger;
    }
    nums[n++] = x;
  };
  const walk = (v: unknown): void => {
    if (v === null) { shape.push('n'); return; }
    switch (typeof v) {
      case 'number': shape.push('d'); push(v); return;
      case 'string': shape.push('s', JSON.stringify(v)); return;
      case 'boolean': shape.push(v ? 't' : 'f'); return;
      case 'undefined': shape.push('u'); return;
      case 'bigint': shape.push('b', v.toString(), ';'); return;
      default: break;
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const a = v as unknown as ArrayLike<number | bigint>;
      if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
        shape.push(`B${v.constructor.name}[`, Array.from(a, String).join(','), ']');
        return;
      }
      shape.push(`A${v.constructor.name}${a.length};`);
      for (let i = 0; i < a.length; i++) push(a[i] as number);
      return;
    }
    if (Array.isArray(v)) {
      let allNumbers = true;
      for (let i = 0; i < v.length && allNumbers; i++) allNumbers = typeof v[i] === 'number';
      if (allNumbers) {
        shape.push(`D${v.length};`);
        for (let i = 0; i < v.length; i++) push(v[i] as number);
        return;
      }
      shape.push(`[${v.length};`);
      for (const x of v) walk(x);
      shape.push(']');
      return;
    }
    if (typeof v === 'object') {
      const o = v as Record<string, unknown>;
      shape.push('{');
      for (const k of Object.keys(o).sort()) { shape.push(JSON.stringify(k)); walk(o[k]); }
      shape.push('}');
      return;
    }
    throw new Error(`oracle: cannot compare states holding a ${typeof v}`);
  };
  walk(futureState(state));
  return `${shape.join('')}\u0000${Buffer.from(nums.buffer, 0, n * 8).toString('latin1')}`;
}
