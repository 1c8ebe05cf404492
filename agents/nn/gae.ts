/**
 * Generalised advantage estimation (Schulman et al. 2016, "High-dimensional continuous control using
 * generalized advantage estimation", eq. 16), as CleanRL's `ppo.py` computes it over a rollout:
 *
 *   δ_t = r_t + γ · V(s_{t+1}) · (1 − done_t) − V(s_t)
 *   A_t = δ_t + γ · λ · (1 − done_t) · A_{t+1},      returns_t = A_t + V(s_t)
 *
 * where done_t means the episode ended after step t, and V(s_T) of the step after the rollout is
 * `lastValues`. Rollout arrays are [numSteps][numEnvs], row-major (row = t · numEnvs + env).
 */
export interface GaeInput {
  rewards: ArrayLike<number>;
  values: ArrayLike<number>;
  /** 1 when the episode ended after that step (terminated or truncated), else 0. */
  dones: ArrayLike<number>;
  /** V of each env's observation after the last step of the rollout. */
  lastValues: ArrayLike<number>;
  numSteps: number;
  numEnvs: number;
  gamma: number;
  gaeLambda: number;
}

/** Writes A_t into `advantages` and A_t + V(s_t) into `returns` (both numSteps × numEnvs). */
export function computeGae(g: GaeInput, advantages: Float64Array, returns: Float64Array): void {
  const { rewards, values, dones, lastValues, numSteps: T, numEnvs: N, gamma, gaeLambda } = g;
  const lastGaeLam = new Float64Array(N);
  for (let t = T - 1; t >= 0; t--) {
    for (let i = 0; i < N; i++) {
      const row = t * N + i;
      const nextNonTerminal = 1 - dones[row]!;
      const nextValue = t === T - 1 ? lastValues[i]! : values[row + N]!;
      const delta = rewards[row]! + gamma * nextValue * nextNonTerminal - values[row]!;
      lastGaeLam[i] = delta + gamma * gaeLambda * nextNonTerminal * lastGaeLam[i]!;
      advantages[row] = lastGaeLam[i]!;
      returns[row] = advantages[row]! + values[row]!;
    }
  }
}
