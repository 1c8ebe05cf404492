/**
 * Learned-agent throughput: PPO and DQN training (env steps + learning, with CleanRL's default Args) in
 * env-steps/s, and the acting forward pass (plain typed arrays vs `model.predict`) in µs per observation.
 *
 * The target, ≥ 5,000 steps/s for PPO (env + learning), is for SideCore-v1's fast tier. The env is
 * a parameter: `IOCM_BENCH_AGENTS_ENV=<id>[,<id>…]` (default CartPole-v1) and
 * `IOCM_BENCH_AGENTS_KWARGS='<json>'` (make kwargs, e.g. '{"fidelity":"fast"}').
 *
 *   npm run bench -- agents
 *   IOCM_BENCH_AGENTS_ENV=SideCore-v1 IOCM_BENCH_AGENTS_KWARGS='{"fidelity":"fast"}' npm run bench -- agents
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '../env/index.js';
import { make, type EnvKwargs } from '../env/core/registry.js';
import { DQN } from '../agents/dqn.js';
import { initBackend } from '../agents/nn/backend.js';
import { PlainMlp, buildMlp, initOrthogonal } from '../agents/nn/mlp.js';
import { PPO } from '../agents/ppo.js';
import { Rng } from '../env/core/rng.js';
import type { Benchmark } from './benchmark.js';

/**
 * A rate measured two ways: per wall-clock second, and per second of this process's CPU time (user +
 * system). On a busy machine the second is the better estimate of the idle-machine rate (tfjs-wasm is
 * single-threaded in Node; GC helper threads make it slightly pessimistic).
 */
export interface Rate {
  wall: number;
  cpu: number;
}

async function measure(steps: number, f: () => Promise<void>): Promise<Rate> {
  const c0 = process.cpuUsage(), t0 = performance.now();
  await f();
  const c = process.cpuUsage(c0), wallS = (performance.now() - t0) / 1000;
  return { wall: steps / wallS, cpu: steps / ((c.user + c.system) / 1e6) };
}

/** PPO (default Args) env + learning steps/s over `steps` env steps, after one warm-up rollout. */
export async function ppoTrainingRate(envId: string, kwargs: EnvKwargs = {}, steps = 25_600, backend = 'wasm'): Promise<Rate> {
  const ppo = await PPO.create(() => make(envId, kwargs), { seed: 0, backend });
  const batch = ppo.args.numEnvs * ppo.args.numSteps;
  await ppo.learn(batch); // warm-up: kernels, Adam slots
  const n = Math.floor(steps / batch) * batch;
  const rate = await measure(n, async () => {
    await ppo.learn(n);
  });
  ppo.dispose();
  return rate;
}

/** DQN (default Args, learning from step 0) env + learning steps/s over `steps` env steps. */
export async function dqnTrainingRate(envId: string, kwargs: EnvKwargs = {}, steps = 20_000, backend = 'wasm'): Promise<Rate> {
  const dqn = await DQN.create(() => make(envId, kwargs), { seed: 0, backend, learningStarts: 1000 });
  await dqn.learn(1100); // warm-up
  const rate = await measure(steps, async () => {
    await dqn.learn(steps); // learning starts after 1,000 of these steps
  });
  dqn.dispose();
  return rate;
}

/** µs per single-observation forward pass of an obs→64→64→actions tanh MLP: plain vs tfjs predict (wall). */
function forwardCost(obsSize: number, nActions: number, calls = 20_000): { plainUs: number; tfjsUs: number } {
  const shape = { inputSize: obsSize, hidden: [64, 64], outputSize: nActions, activation: 'tanh' as const };
  const model = buildMlp(shape, 'bench');
  initOrthogonal(model, Rng.fromSeed(0), Math.SQRT2, 0.01);
  const fast = new PlainMlp(shape);
  fast.copyFrom(model);
  const x = new Float32Array(obsSize).fill(0.1);
  let sink = 0;
  let t0 = performance.now();
  for (let i = 0; i < calls; i++) sink += fast.forward(x)[0]!;
  const plainUs = ((performance.now() - t0) * 1000) / calls;
  const n = Math.max(1, Math.floor(calls / 10));
  t0 = performance.now();
  for (let i = 0; i < n; i++) sink += tf.tidy(() => (model.predict(tf.tensor2d(x, [1, obsSize])) as tf.Tensor).dataSync()[0]!);
  const tfjsUs = ((performance.now() - t0) * 1000) / n;
  model.dispose();
  if (Number.isNaN(sink)) console.log('');
  return { plainUs, tfjsUs };
}

export const agentsBench: Benchmark = {
  name: 'agents',
  description: 'PPO/DQN training throughput (env + learning, default Args) and acting forward pass; env from IOCM_BENCH_AGENTS_ENV (default CartPole-v1)',
  async run() {
    const backend = await initBackend(process.env.IOCM_BENCH_AGENTS_BACKEND ?? 'wasm');
    const ids = (process.env.IOCM_BENCH_AGENTS_ENV ?? 'CartPole-v1').split(',').map((s) => s.trim()).filter(Boolean);
    const kwargs = JSON.parse(process.env.IOCM_BENCH_AGENTS_KWARGS ?? '{}') as EnvKwargs;
    const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
    for (const id of ids) {
      const probe = make(id, kwargs);
      const obsSize = probe.observationSpace.flatdim;
      const nActions = (probe.actionSpace as unknown as { n: number }).n;
      probe.close();
      const tag = `agents.${id}`;
      const load = () => `load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`;
      const p = await ppoTrainingRate(id, kwargs);
      console.log(`${tag}.ppo_train: ${fmt(p.wall)} steps/s wall, ${fmt(p.cpu)} steps per CPU-second (env + learning, 4×128 rollouts, 16 minibatch updates each; backend ${backend}; ${load()}; target >= 5,000 on SideCore-v1 fast tier)`);
      const d = await dqnTrainingRate(id, kwargs);
      console.log(`${tag}.dqn_train: ${fmt(d.wall)} steps/s wall, ${fmt(d.cpu)} steps per CPU-second (env + learning, one 128-batch update per 10 steps; backend ${backend}; ${load()})`);
      const f = forwardCost(obsSize, nActions);
      console.log(`${tag}.forward_plain: ${f.plainUs.toFixed(2)} us/obs (64-64 tanh MLP, typed arrays)`);
      console.log(`${tag}.forward_tfjs: ${f.tfjsUs.toFixed(2)} us/obs (same MLP, model.predict + dataSync, backend ${backend})`);
    }
  },
};
