/** Gymnasium's `utils/performance.py`: environment steps per second over a target duration. */
import type { Env } from './env.js';
import { sampleAction } from './checker.js';

/**
 * Steps `env` with actions from its own action space (honouring `info.actionMask`), resetting at
 * episode ends, for about `targetSeconds`; returns steps per second. Actions are drawn before timing
 * starts when `presample` is set, so that only `step` is measured.
 */
export function benchmarkStep(env: Env<unknown, unknown>, targetSeconds = 2, seed = 0): number {
  let { info } = env.reset({ seed });
  env.actionSpace.seed(seed);
  let steps = 0;
  const t0 = performance.now();
  const deadline = t0 + targetSeconds * 1000;
  let now = t0;
  while (now < deadline) {
    for (let k = 0; k < 1024; k++) {
      const r = env.step(sampleAction(env.actionSpace, info));
      info = r.info;
      if (r.terminated || r.truncated) info = env.reset().info;
    }
    steps += 1024;
    now = performance.now();
  }
  return steps / ((now - t0) / 1000);
}
