/** `ppoLoss` on a two-sample minibatch whose every term is worked out by hand (float32: 6 digits). */
import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../agents/nn/backend.js';
import { MASKED_LOGIT } from '../../../agents/nn/policy-io.js';
import { ppoLoss, type PpoLossInput } from '../../../agents/nn/ppo-loss.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const LN2 = Math.log(2);

/**
 * Two actions with equal logits: π = (½, ½), so log π(a) = −ln 2 for either action; the rollout had
 * log π_old(a) = ln ¼, so ratio = 2 in both samples. Advantages +1 and −1; values now (1, 0), in the
 * rollout (0.5, 0.5); returns (2, 0).
 */
function input(): PpoLossInput {
  return {
    logits: tf.tensor2d([[0, 0], [0, 0]]),
    oneHot: tf.tensor2d([[1, 0], [0, 1]]),
    newValue: tf.tensor1d([1, 0]),
    oldLogp: tf.tensor1d([Math.log(0.25), Math.log(0.25)]),
    advantages: tf.tensor1d([1, -1]),
    returns: tf.tensor1d([2, 0]),
    oldValue: tf.tensor1d([0.5, 0.5]),
  };
}

const value = (t: tf.Tensor): number => t.dataSync()[0]!;

describe('ppoLoss', () => {
  it('clipped surrogate, clipped value loss, entropy, KL and clip fraction', () => {
    tf.tidy(() => {
      const t = ppoLoss(input(), { clipCoef: 0.2, clipVloss: true, entCoef: 0.01, vfCoef: 0.5 });
      // A = +1: max(−2, −1.2) = −1.2 (the clip binds); A = −1: max(2, 1.2) = 2 → mean 0.4
      expect(value(t.pgLoss)).toBeCloseTo(0.4, 6);
      // (V − R)² = 1 and 0; clipped V = 0.5 + clip(±0.5, ±0.2) = 0.7 and 0.3 → (0.7 − 2)² = 1.69, (0.3 − 0)² = 0.09;
      // ½ · mean(max(1, 1.69), max(0, 0.09)) = ½ · 0.89
      expect(value(t.vLoss)).toBeCloseTo(0.445, 6);
      expect(value(t.entropy)).toBeCloseTo(LN2, 6);
      // (ratio − 1) − ln ratio = 1 − ln 2; both ratios are outside [0.8, 1.2]
      expect(value(t.approxKl)).toBeCloseTo(1 - LN2, 6);
      expect(value(t.clipfrac)).toBe(1);
      expect(value(t.loss)).toBeCloseTo(0.4 - 0.01 * LN2 + 0.5 * 0.445, 6);
    });
  });

  it('without value clipping: ½ · mean((V − R)²)', () => {
    tf.tidy(() => {
      const t = ppoLoss(input(), { clipCoef: 0.2, clipVloss: false, entCoef: 0, vfCoef: 1 });
      expect(value(t.vLoss)).toBeCloseTo(0.25, 6);
      expect(value(t.loss)).toBeCloseTo(0.4 + 0.25, 6);
    });
  });

  it('a masked action has probability 0: the entropy of the rest, and no log-probability mass lost', () => {
    tf.tidy(() => {
      const x = input();
      const t = ppoLoss({ ...x, logits: tf.tensor2d([[0, MASKED_LOGIT], [0, 0]]), oneHot: tf.tensor2d([[1, 0], [1, 0]]), oldLogp: tf.tensor1d([0, Math.log(0.5)]) }, { clipCoef: 0.2, clipVloss: true, entCoef: 0.01, vfCoef: 0.5 });
      // sample 0: π = (1, 0), entropy 0, ratio 1; sample 1: π = (½, ½), entropy ln 2, ratio 1
      expect(value(t.entropy)).toBeCloseTo(LN2 / 2, 6);
      expect(value(t.approxKl)).toBeCloseTo(0, 6);
      expect(value(t.clipfrac)).toBe(0);
      // ratio 1: −A per sample → mean(−1, +1) = 0
      expect(value(t.pgLoss)).toBeCloseTo(0, 6);
    });
  });

  it('is differentiable: the policy gradient vanishes where the clip binds', () => {
    // With A = +1 and ratio 2 > 1.2 the clipped term is the max: no gradient to the logits.
    const g = tf.grad((logits: tf.Tensor) => ppoLoss({ ...input(), logits, advantages: tf.tensor1d([1, 1]) }, { clipCoef: 0.2, clipVloss: true, entCoef: 0, vfCoef: 0 }).loss)(tf.tensor2d([[0, 0], [0, 0]]));
    expect(Array.from(g.dataSync())).toEqual([0, 0, 0, 0]);
  });
});
