import { describe, expect, it, beforeAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '../../env/index.js';
import { make } from '../../env/core/registry.js';
import { PPO, PPO_DEFAULTS, type PpoArgs } from '../../agents/ppo.js';
import { initBackend } from '../../agents/nn/backend.js';
import { ChainEnv, MaskedEnv } from './helpers.js';

// Tiny budgets: 2 envs × 16 steps, 2 minibatches × 2 epochs.
const TINY: Partial<PpoArgs> = { numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 2, hidden: [16, 16] };

beforeAll(async () => {
  await initBackend('wasm');
});

function weights(p: PPO): number[][] {
  return [...p.actor.getWeights(), ...p.critic.getWeights()].map((w) => Array.from(w.dataSync()));
}

describe('PPO', () => {
  it('has CleanRL defaults', () => {
    expect(PPO_DEFAULTS).toMatchObject({
      learningRate: 2.5e-4, numEnvs: 4, numSteps: 128, annealLr: true, gamma: 0.99, gaeLambda: 0.95, numMinibatches: 4,
      updateEpochs: 4, normAdv: true, clipCoef: 0.2, clipVloss: true, entCoef: 0.01, vfCoef: 0.5, maxGradNorm: 0.5, adamEps: 1e-5,
      hidden: [64, 64], backend: 'wasm', targetKl: null,
    });
  });

  it('builds networks of the right shapes and acts in the action space', async () => {
    const p = await PPO.create('CartPole-v1', { ...TINY, seed: 0 });
    expect(p.actor.inputs[0]!.shape).toEqual([null, 4]);
    expect(p.actor.outputs[0]!.shape).toEqual([null, 2]);
    expect(p.critic.outputs[0]!.shape).toEqual([null, 1]);
    const env = make<Float32Array, number>('CartPole-v1');
    const { obs, info } = env.reset({ seed: 0 });
    expect([0, 1]).toContain(p.predict(obs, info));
    expect(p.logits(obs)).toHaveLength(2);
    expect(Number.isFinite(p.value(obs))).toBe(true);
    // Policy head gain 0.01: near-uniform initial policy.
    expect(Math.abs(p.logits(obs)[0]! - p.logits(obs)[1]!)).toBeLessThan(0.1);
    p.dispose();
  });

  it('is deterministic under a seed, and the seed matters', async () => {
    const run = async (seed: number) => {
      const p = await PPO.create('CartPole-v1', { ...TINY, seed });
      const returns: number[] = [];
      await p.learn(128, { onEpisode: (e) => returns.push(e.episodicReturn) });
      const w = weights(p);
      p.dispose();
      return { w, returns };
    };
    const a = await run(3), b = await run(3), c = await run(4);
    expect(a.w).toEqual(b.w);
    expect(a.returns).toEqual(b.returns);
    expect(c.w).not.toEqual(a.w);
  });

  it('saves and loads: same actions, same values, Args and EnvSpec kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ppo-'));
    try {
      const p = await PPO.create('CartPole-v1', { ...TINY, seed: 5 });
      await p.learn(64);
      await p.save(dir);
      const q = await PPO.load(dir);
      expect(q.args).toEqual(p.args);
      expect(q.envSpec?.id).toBe('CartPole-v1');
      expect(q.globalStep).toBe(64);
      const env = make<Float32Array, number>('CartPole-v1');
      let { obs, info } = env.reset({ seed: 1 });
      for (let t = 0; t < 200; t++) {
        const a = p.predict(obs, info);
        expect(q.predict(obs, info)).toBe(a);
        expect(q.logits(obs)).toEqual(p.logits(obs));
        const r = env.step(a);
        if (r.terminated || r.truncated) ({ obs, info } = env.reset());
        else ({ obs, info } = r);
      }
      p.dispose();
      q.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never takes a masked action, in training (the env throws) or at prediction', async () => {
    const p = await PPO.create(() => new MaskedEnv(10), { ...TINY, seed: 2 });
    await p.learn(256); // truncations every 10 steps exercise the final_obs bootstrap
    const env = new MaskedEnv();
    let { obs, info } = env.reset({ seed: 9 });
    for (let t = 0; t < 200; t++) {
      const a = p.predict(obs, info, t % 2 === 0); // greedy and sampled
      const r = env.step(a);
      ({ obs, info } = r.truncated ? env.reset() : r);
    }
    expect(env.maskedTaken).toBe(0);
    p.dispose();
  });

  it('learns a masked bandit and bootstraps on truncation', async () => {
    // One-step episodes, always truncated, never terminated; reward 1 for action 0 when allowed (P ≈ 0.53).
    // With γ = 0.5 and bootstrapping, V → 0.53 / (1 − 0.5) ≈ 1.07; treating truncation as terminal gives 0.53.
    const p = await PPO.create(() => new MaskedEnv(1), { ...TINY, seed: 1, learningRate: 3e-3, numSteps: 32, gamma: 0.5, annealLr: false });
    await p.learn(2048);
    const env = new MaskedEnv(1);
    let { obs, info } = env.reset({ seed: 4 });
    let allowed0 = 0, took0 = 0, v = 0;
    for (let t = 0; t < 200; t++) {
      const m = info.actionMask as Uint8Array;
      const a = p.predict(obs, info);
      v += p.value(obs) / 200;
      if (m[0]) {
        allowed0++;
        if (a === 0) took0++;
      }
      ({ obs, info } = env.reset());
    }
    expect(took0 / allowed0).toBeGreaterThan(0.9);
    expect(v).toBeGreaterThan(0.85);
    expect(v).toBeLessThan(1.3);
    p.dispose();
  });

  it('flattens non-Box observations (Discrete → one-hot) and learns a chain', async () => {
    const p = await PPO.create(() => new ChainEnv(), { ...TINY, seed: 0, learningRate: 3e-3, annealLr: false });
    expect(p.actor.inputs[0]!.shape).toEqual([null, 5]);
    await p.learn(1024);
    expect([0, 1, 2, 3].map((s) => p.predict(s))).toEqual([1, 1, 1, 1]);
    p.dispose();
  });

  it('leaks no tensors over act and train calls', async () => {
    const p = await PPO.create('CartPole-v1', { ...TINY, seed: 0 });
    await p.learn(32); // creates Adam's slot variables
    const before = tf.memory().numTensors;
    const env = make<Float32Array, number>('CartPole-v1');
    const { obs, info } = env.reset({ seed: 0 });
    for (let i = 0; i < 100; i++) p.predict(obs, info, i % 2 === 0);
    await p.learn(96);
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });

  it('rejects bad Args and unsupported spaces in one line', async () => {
    await expect(PPO.create('CartPole-v1', { numEnvs: 3, numSteps: 5, numMinibatches: 4 })).rejects.toThrow(/must split into numMinibatches/);
    await expect(PPO.create('CartPole-v1', { numSteps: 0 })).rejects.toThrow(/numSteps must be a positive integer/);
    // a misspelt key trained with the default and said nothing; an out-of-range γ trained anyway
    await expect(PPO.create('CartPole-v1', { lr: 0.1 } as object)).rejects.toThrow(/^PPO: no arg "lr" \(its args: seed, totalTimesteps, learningRate, /);
    await expect(PPO.create('CartPole-v1', { gamma: 2 })).rejects.toThrow('PPO: gamma must be in [0, 1], got 2');
    await expect(PPO.create('CartPole-v1', { targetKl: -0.1 })).rejects.toThrow('PPO: targetKl must be in (0, ∞), got -0.1');
    await expect(PPO.load('/nonexistent/model')).rejects.toThrow(/does not exist/);
    // Fewer steps than one rollout (2 envs × 16 steps) would train nothing.
    const p = await PPO.create('CartPole-v1', { ...TINY, seed: 0 });
    await expect(p.learn(31)).rejects.toThrow(/31 steps is less than one rollout \(numEnvs × numSteps = 32\)/);
    p.dispose();
  });
});
