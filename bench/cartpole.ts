/**
 * CartPole-v1 step rate: unwrapped, through `make` (PassiveEnvChecker → OrderEnforcing → TimeLimit),
 * and a SyncVectorEnv of 8 (env-steps/s). Targets: ≥ 1,000,000 unwrapped and ≥ 500,000 through
 * make, on one core. Python Gymnasium 1.4 does 55,000–90,000 unwrapped on this machine class.
 */
import { benchmarkStep } from '../env/core/benchmark.js';
import { make } from '../env/core/registry.js';
import { SyncVectorEnv } from '../env/core/vector/sync-vector-env.js';
import { CartPoleEnv } from '../env/classic/cartpole.js';
import '../env/index.js';
import type { Benchmark } from './benchmark.js';

function vectorRate(n: number, seconds: number): number {
  const v = new SyncVectorEnv(Array.from({ length: n }, () => () => make<Float32Array, number>('CartPole-v1')), { copy: false });
  v.reset({ seed: 0 });
  v.singleActionSpace.seed(0);
  const actions = new Int32Array(n);
  let steps = 0;
  const t0 = performance.now();
  let now = t0;
  while (now - t0 < seconds * 1000) {
    for (let k = 0; k < 256; k++) {
      for (let i = 0; i < n; i++) actions[i] = v.singleActionSpace.sample();
      v.step(actions);
    }
    steps += 256 * n;
    now = performance.now();
  }
  return steps / ((now - t0) / 1000);
}

export const cartpoleBench: Benchmark = {
  name: 'cartpole',
  description: 'CartPole-v1 steps/s (random actions, 3 s each, after 0.5 s warm-up)',
  async run() {
    benchmarkStep(new CartPoleEnv(), 0.5);
    const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
    console.log(`cartpole.unwrapped: ${fmt(benchmarkStep(new CartPoleEnv(), 3))} steps/s (target >= 1,000,000)`);
    console.log(`cartpole.make: ${fmt(benchmarkStep(make('CartPole-v1'), 3))} steps/s (target >= 500,000)`);
    console.log(`cartpole.sync_vector_8: ${fmt(vectorRate(8, 3))} env-steps/s`);
  },
};
