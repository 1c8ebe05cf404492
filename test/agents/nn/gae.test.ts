/** `computeGae` against advantages worked out by hand from the recursion (Schulman et al. 2016, eq. 16). */
import { describe, expect, it } from '@jest/globals';
import { computeGae } from '../../../agents/nn/gae.js';

describe('computeGae', () => {
  it('one env: bootstraps from the last value, and an episode end cuts both δ and the recursion', () => {
    // γ = λ = 0.5; the episode ends after step 1.
    //   t = 2: δ = 2 + 0.5·4 − 0 = 4                       A = 4
    //   t = 1: δ = 0 + 0 − 1 = −1 (done: no bootstrap)     A = −1 (done: the recursion stops)
    //   t = 0: δ = 1 + 0.5·1 − 0.5 = 1                     A = 1 + 0.25·(−1) = 0.75
    const adv = new Float64Array(3), ret = new Float64Array(3);
    computeGae({ rewards: [1, 0, 2], values: [0.5, 1, 0], dones: [0, 1, 0], lastValues: [4], numSteps: 3, numEnvs: 1, gamma: 0.5, gaeLambda: 0.5 }, adv, ret);
    expect(Array.from(adv)).toEqual([0.75, -1, 4]);
    expect(Array.from(ret)).toEqual([1.25, 0, 4]); // A + V
  });

  it('two envs interleaved [t][env]: each env has its own recursion', () => {
    // env 0 as above; env 1: zero rewards and values, last value 8:
    //   t = 2: A = 0.5·8 = 4;  t = 1: A = 0.25·4 = 1;  t = 0: A = 0.25·1 = 0.25
    const adv = new Float64Array(6), ret = new Float64Array(6);
    computeGae({
      rewards: [1, 0, 0, 0, 2, 0], values: [0.5, 0, 1, 0, 0, 0], dones: [0, 0, 1, 0, 0, 0], lastValues: [4, 8],
      numSteps: 3, numEnvs: 2, gamma: 0.5, gaeLambda: 0.5,
    }, adv, ret);
    expect(Array.from(adv)).toEqual([0.75, 0.25, -1, 1, 4, 4]);
  });

  it('λ = 1 gives the discounted return minus V; λ = 0 the one-step TD error', () => {
    const base = { rewards: [1, 1, 1], values: [0, 0, 0], dones: [0, 0, 0], lastValues: [0], numSteps: 3, numEnvs: 1, gamma: 0.9 };
    const a1 = new Float64Array(3), a0 = new Float64Array(3), r = new Float64Array(3);
    computeGae({ ...base, gaeLambda: 1 }, a1, r);
    expect(a1[0]).toBeCloseTo(1 + 0.9 + 0.81, 12);
    computeGae({ ...base, gaeLambda: 0 }, a0, r);
    expect(Array.from(a0)).toEqual([1, 1, 1]);
  });
});
