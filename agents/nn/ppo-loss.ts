/**
 * PPO's clipped objective (Schulman et al. 2017, "Proximal policy optimization algorithms", eq. 7 and 9)
 * for one minibatch, as CleanRL's `ppo.py` computes it, on tfjs tensors so that it can be differentiated:
 *
 *   ratio   = exp(log π(a|s) − log π_old(a|s))
 *   pgLoss  = mean(max(−A · ratio, −A · clip(ratio, 1 − ε, 1 + ε)))
 *   vLoss   = ½ · mean(max((V − R)², (V_old + clip(V − V_old, −ε, ε) − R)²))   (clipVloss; else ½ · mean((V − R)²))
 *   entropy = mean(−Σ_a π(a|s) log π(a|s))
 *   loss    = pgLoss − entCoef · entropy + vfCoef · vLoss
 *
 * plus two diagnostics through which no gradient is taken: approxKl = mean((ratio − 1) − log ratio) (the
 * "k3" estimator, http://joschu.net/blog/kl-approx.html) and clipfrac = mean(|ratio − 1| > ε).
 */
import * as tf from '@tensorflow/tfjs';

export interface PpoLossInput {
  /** Policy logits of the minibatch, [B, A], masked actions already pushed to MASKED_LOGIT. */
  logits: tf.Tensor;
  /** One-hot of the actions taken, [B, A]. */
  oneHot: tf.Tensor;
  /** Critic values now, [B]. */
  newValue: tf.Tensor;
  /** log π_old(a|s) from the rollout, [B]. */
  oldLogp: tf.Tensor;
  /** Advantages (already normalised when normAdv), [B]. */
  advantages: tf.Tensor;
  /** GAE returns, [B]. */
  returns: tf.Tensor;
  /** Critic values in the rollout, [B]. */
  oldValue: tf.Tensor;
}

export interface PpoLossCoefs {
  clipCoef: number;
  clipVloss: boolean;
  entCoef: number;
  vfCoef: number;
}

export interface PpoLossTerms {
  loss: tf.Scalar;
  pgLoss: tf.Scalar;
  vLoss: tf.Scalar;
  entropy: tf.Scalar;
  approxKl: tf.Scalar;
  clipfrac: tf.Scalar;
}

export function ppoLoss(x: PpoLossInput, c: PpoLossCoefs): PpoLossTerms {
  const logpAll = tf.logSoftmax(x.logits);
  const newLogp = logpAll.mul(x.oneHot).sum(1);
  const entropyPerSample = logpAll.exp().mul(logpAll).sum(1).neg();
  const logratio = newLogp.sub(x.oldLogp);
  const ratio = logratio.exp();
  // Policy loss
  const pg1 = x.advantages.neg().mul(ratio);
  const pg2 = x.advantages.neg().mul(ratio.clipByValue(1 - c.clipCoef, 1 + c.clipCoef));
  const pgLoss = tf.maximum(pg1, pg2).mean() as tf.Scalar;
  // Value loss
  let vLoss: tf.Scalar;
  if (c.clipVloss) {
    const unclipped = x.newValue.sub(x.returns).square();
    const vClipped = x.oldValue.add(x.newValue.sub(x.oldValue).clipByValue(-c.clipCoef, c.clipCoef));
    const clipped = vClipped.sub(x.returns).square();
    vLoss = tf.maximum(unclipped, clipped).mean().mul(0.5) as tf.Scalar;
  } else {
    vLoss = x.newValue.sub(x.returns).square().mean().mul(0.5) as tf.Scalar;
  }
  const entropy = entropyPerSample.mean() as tf.Scalar;
  const loss = pgLoss.sub(entropy.mul(c.entCoef)).add(vLoss.mul(c.vfCoef)) as tf.Scalar;
  const approxKl = ratio.sub(1).sub(logratio).mean() as tf.Scalar;
  const clipfrac = ratio.sub(1).abs().greater(c.clipCoef).cast('float32').mean() as tf.Scalar;
  return { loss, pgLoss, vLoss, entropy, approxKl, clipfrac };
}
