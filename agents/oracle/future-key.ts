/**
 * The merge key of a snapshot: the part of an env's state that its **future rewards** depend on, as an
 * exact string (`stateKey`: every number by its IEEE-754 bits).
 *
 * Merging two search paths at a decision point is exact when everything the future rewards and
 * dynamics depend on is identical; the rest of the snapshot may differ. A SideCore-v0 snapshot
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
import { stateKey } from './merge.js';

/** Fields of a SideCore-v0 snapshot that only observations and rendering read. */
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

/** The exact merge key of a snapshot (see the module comment for what it leaves out, and why). */
export function futureKey(state: unknown): string {
  return stateKey(futureState(state));
}
