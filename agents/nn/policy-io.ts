/**
 * What the learned agents share about observations and actions: flattening any observation space into
 * a float vector (`Space.flattenInto`, Gymnasium's `flatten`), reading the action mask of an `info`
 * record, masked argmax and masked categorical sampling over logits.
 *
 * Action masks: when `info.actionMask` exists it is a 0/1 Int8Array/Uint8Array (or number array) with
 * one entry per Discrete action; 1 = allowed. Learned agents never choose a masked action (PPO masks
 * the logits, DQN masks the argmax and the ε-random draw). An all-zero mask is an env bug and an error.
 */
import type { Info } from '../../env/core/env.js';
import type { Rng } from '../../env/core/rng.js';
import { Box, Discrete, type Space } from '../../env/core/spaces/index.js';

/** Logit given to masked actions (MaskablePPO uses -1e8): exp underflows to exactly 0. */
export const MASKED_LOGIT = -1e8;

/** The discrete action space a learned agent supports, or a one-line error naming what it got. */
export function discreteActions(space: Space<unknown>, who: string): Discrete {
  if (!(space instanceof Discrete)) throw new Error(`${who} needs a Discrete action space, got ${space.toString()}`);
  return space;
}

/** Writes the flat form of `obs` into `out` (Box observations are copied as they are). */
export function flattenObs(space: Space<unknown>, obs: unknown, out: Float32Array): void {
  if (space instanceof Box) {
    const x = obs as ArrayLike<number>;
    if (x.length !== out.length) throw new Error(`observation has ${x.length} values, expected ${out.length}`);
    for (let i = 0; i < out.length; i++) out[i] = x[i]!;
  } else {
    space.flattenInto(obs, out, 0);
  }
}

/** `info.actionMask` as a 0/1 array of length n, or undefined when the info carries none. */
export function actionMaskOf(info: Info | undefined, n: number): ArrayLike<number> | undefined {
  const m = info?.actionMask;
  if (m === undefined || m === null) return undefined;
  if (!(ArrayBuffer.isView(m) || Array.isArray(m))) throw new Error(`info.actionMask must be a 0/1 array, got ${typeof m}`);
  const a = m as ArrayLike<number>;
  if (a.length !== n) throw new Error(`info.actionMask has ${a.length} entries, expected ${n}`);
  let any = false;
  for (let i = 0; i < n; i++) if (a[i]) any = true;
  if (!any) throw new Error('info.actionMask allows no action');
  return a;
}

/** The index of the largest value among allowed entries (first one on ties). */
export function maskedArgmax(values: ArrayLike<number>, n: number, mask?: ArrayLike<number>): number {
  let best = -1, bestV = -Infinity;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const v = values[i]!;
    if (best < 0 || v > bestV) {
      best = i;
      bestV = v;
    }
  }
  return best < 0 ? 0 : best;
}

/** A uniform draw among allowed indices. */
export function uniformAllowed(rng: Rng, n: number, mask?: ArrayLike<number>): number {
  if (!mask) return rng.integers(0, n);
  let k = 0;
  for (let i = 0; i < n; i++) if (mask[i]) k++;
  let j = rng.integers(0, k);
  for (let i = 0; i < n; i++) if (mask[i] && j-- === 0) return i;
  return 0;
}

/**
 * Samples from softmax(logits) restricted to allowed actions; writes log π(a) into `out.logp`.
 * Inverse-CDF on one uniform draw, in float64.
 */
export function sampleCategorical(rng: Rng, logits: ArrayLike<number>, n: number, mask: ArrayLike<number> | undefined, out: { logp: number }): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (!mask || mask[i]) max = Math.max(max, logits[i]!);
  let z = 0;
  for (let i = 0; i < n; i++) if (!mask || mask[i]) z += Math.exp(logits[i]! - max);
  const u = rng.random() * z;
  let acc = 0, pick = -1;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    acc += Math.exp(logits[i]! - max);
    pick = i;
    if (u < acc) break;
  }
  out.logp = logits[pick]! - max - Math.log(z);
  return pick;
}
