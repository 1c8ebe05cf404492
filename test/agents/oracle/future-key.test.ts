import { describe, expect, it } from '@jest/globals';
import { buildEnv, futureKey, futureState, stateKey } from '../../../agents/oracle/index.js';
import { envSpecFor } from '../../../experiments/envs.js';

const tiny = {
  name: 'tiny-future-key', vms: 2,
  phases: [
    { name: 'rr', durationS: 0.4, workload: { type: 'tcp_rr' } },
    { name: 'stream', durationS: 0.4, workload: { type: 'tcp_stream_tx' } },
  ],
};

/** A SideCore env in the absolute action mode (actions are I/O-core counts) with a 4-epoch observation history. */
function sideCore(fidelity: 'fast' | 'detailed') {
  return buildEnv(envSpecFor('SideCore-v1', { scenario: tiny, fidelity, maxIoCores: 2, history: 4, actionMode: 'absolute' }));
}

/** The snapshot after playing `actions` from the reset with `seed`. */
function stateAfter(fidelity: 'fast' | 'detailed', seed: number, actions: number[]): unknown {
  const env = sideCore(fidelity);
  env.reset({ seed });
  for (const a of actions) env.step(a);
  const s = env.getState!();
  env.close();
  return s;
}

/** The rewards of `actions` played from a snapshot. */
function rewardsFrom(fidelity: 'fast' | 'detailed', seed: number, state: unknown, actions: number[]): number[] {
  const env = sideCore(fidelity);
  env.reset({ seed });
  env.setState!(structuredClone(state));
  const out = actions.map((a) => env.step(a).reward);
  env.close();
  return out;
}

/** Replaces the innermost (SideCore) snapshot's observation-only fields with another snapshot's. */
function withObservationFieldsOf(state: unknown, donor: unknown): unknown {
  const s = structuredClone(state) as Record<string, unknown>, d = donor as Record<string, unknown>;
  if ('inner' in s) return { ...s, inner: withObservationFieldsOf(s.inner, d.inner) };
  return { ...s, frames: d.frames, lastInfo: d.lastInfo };
}

describe('future key', () => {
  it('drops only the SideCore snapshot\'s observation-only fields, through the wrappers', () => {
    const s = { inner: { inner: { host: [1, 2], rng: 'r', steps: 3, frames: [9], lastInfo: { a: 1 }, later: 7 }, own: true }, own: 3 };
    expect(futureState(s)).toEqual({ inner: { inner: { host: [1, 2], rng: 'r', steps: 3, later: 7 }, own: true }, own: 3 });
    // anything else is kept whole
    const toy = { inner: { x: 1, heat: 0.5, frames: [1] }, own: 2 };
    expect(futureState(toy)).toEqual(toy);
  });

  for (const fidelity of ['fast', 'detailed'] as const) {
    it(`frames and lastInfo do not change the future (${fidelity} tier): bit-identical rewards from a snapshot carrying another path's`, () => {
      const a = stateAfter(fidelity, 5, [2, 2, 2]);
      const b = stateAfter(fidelity, 5, [0, 1, 1]);
      const hybrid = withObservationFieldsOf(a, b);
      expect(stateKey(hybrid)).not.toBe(stateKey(a));
      expect(futureKey(hybrid)).toBe(futureKey(a));
      const plan = [1, 1, 0, 2, 2];
      const ra = rewardsFrom(fidelity, 5, a, plan), rh = rewardsFrom(fidelity, 5, hybrid, plan);
      expect(ra.length).toBe(5);
      ra.forEach((r, i) => expect(Object.is(r, rh[i])).toBe(true));
    });
  }

  it('merges two fast-tier paths that end in the same host state with different observation histories', () => {
    // 0 → 2 at the first step, or 0 → 1 → 2 a step later: after a steady epoch at 2 cores the host is the same.
    const a = stateAfter('fast', 1, [2, 2, 2, 2]);
    const b = stateAfter('fast', 1, [1, 2, 2, 2]);
    expect(stateKey(a)).not.toBe(stateKey(b)); // the 4-epoch history still holds the 1-core epoch
    expect(futureKey(a)).toBe(futureKey(b));
    const plan = [0, 1, 2, 2];
    const ra = rewardsFrom('fast', 1, a, plan), rb = rewardsFrom('fast', 1, b, plan);
    ra.forEach((r, i) => expect(Object.is(r, rb[i])).toBe(true));
    // a different current configuration is a different state
    expect(futureKey(stateAfter('fast', 1, [2, 2, 2, 1]))).not.toBe(futureKey(a));
  });
});
