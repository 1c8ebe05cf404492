import { describe, expect, it, beforeAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '../../env/index.js';
import { make } from '../../env/core/registry.js';
import { DQN, DQN_DEFAULTS, linearSchedule, type DqnArgs } from '../../agents/dqn.js';
import { initBackend } from '../../agents/nn/backend.js';
import { MaskedEnv } from './helpers.js';

// Tiny budgets: learning starts after 50 steps, a gradient step every 2 steps, batch 16.
const TINY: Partial<DqnArgs> = { learningStarts: 50, trainFrequency: 2, batchSize: 16, bufferSize: 500, targetNetworkFrequency: 20, hidden: [16, 16] };

beforeAll(async () => {
  await initBackend('wasm');
});

describe('DQN', () => {
  it('has CleanRL defaults', () => {
    expect(DQN_DEFAULTS).toMatchObject({
      learningRate: 2.5e-4, bufferSize: 10_000, gamma: 0.99, tau: 1, targetNetworkFrequency: 500, batchSize: 128, startE: 1,
      endE: 0.05, explorationFraction: 0.5, learningStarts: 10_000, trainFrequency: 10, hidden: [120, 84],
    });
    expect(linearSchedule(1, 0.05, 100, 0)).toBe(1);
    expect(linearSchedule(1, 0.05, 100, 50)).toBeCloseTo(0.525, 12);
    expect(linearSchedule(1, 0.05, 100, 500)).toBe(0.05);
  });

  it('builds a 120-84 ReLU Q-network and acts in the action space', async () => {
    const d = await DQN.create('CartPole-v1', { seed: 0 });
    expect(d.qNetwork.layers.map((l) => l.getWeights()[0]!.shape)).toEqual([[4, 120], [120, 84], [84, 2]]);
    const env = make<Float32Array, number>('CartPole-v1');
    const { obs, info } = env.reset({ seed: 0 });
    expect([0, 1]).toContain(d.predict(obs, info));
    expect(d.qValues(obs)).toHaveLength(2);
    // The target network starts as a copy.
    const q = d.qNetwork.getWeights().map((w) => Array.from(w.dataSync()));
    expect(d.targetNetwork.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(q);
    d.dispose();
  });

  it('is deterministic under a seed, and the seed matters', async () => {
    const run = async (seed: number) => {
      const d = await DQN.create('CartPole-v1', { ...TINY, seed });
      const returns: number[] = [];
      await d.learn(200, { onEpisode: (e) => returns.push(e.episodicReturn) });
      const w = d.qNetwork.getWeights().map((x) => Array.from(x.dataSync()));
      d.dispose();
      return { w, returns };
    };
    const a = await run(3), b = await run(3), c = await run(4);
    expect(a.w).toEqual(b.w);
    expect(a.returns).toEqual(b.returns);
    expect(c.w).not.toEqual(a.w);
  });

  it('saves and loads: same actions and Q-values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dqn-'));
    try {
      const d = await DQN.create('CartPole-v1', { ...TINY, seed: 5 });
      await d.learn(120);
      await d.save(dir);
      const e = await DQN.load(dir);
      expect(e.args).toEqual(d.args);
      expect(e.globalStep).toBe(120);
      const env = make<Float32Array, number>('CartPole-v1');
      let { obs, info } = env.reset({ seed: 1 });
      for (let t = 0; t < 200; t++) {
        const a = d.predict(obs, info);
        expect(e.predict(obs, info)).toBe(a);
        expect(e.qValues(obs)).toEqual(d.qValues(obs));
        const r = env.step(a);
        ({ obs, info } = r.terminated || r.truncated ? env.reset() : r);
      }
      d.dispose();
      e.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never takes a masked action (ε-random, greedy, training)', async () => {
    const d = await DQN.create(() => new MaskedEnv(10), { ...TINY, seed: 2 });
    await d.learn(400); // the env throws on a masked action
    const env = new MaskedEnv();
    let { obs, info } = env.reset({ seed: 9 });
    d.epsilon = 0.5;
    for (let t = 0; t < 300; t++) {
      const a = d.predict(obs, info, t % 2 === 0);
      const r = env.step(a);
      ({ obs, info } = r.truncated ? env.reset() : r);
    }
    expect(env.maskedTaken).toBe(0);
    d.dispose();
  });

  it('bootstraps on truncation: one-step episodes that never terminate', async () => {
    // Every episode is truncated after one step and never terminates. Reward 1 for action 0 when it is
    // allowed (P ≈ 0.53). With γ = 0.5 and bootstrapping, Q(s, 0) → 1 + 0.5·V ≈ 1.5; treating truncation
    // as terminal would give exactly 1.
    const d = await DQN.create(() => new MaskedEnv(1), { ...TINY, seed: 1, gamma: 0.5, learningRate: 1e-2, trainFrequency: 1, explorationFraction: 0.3 });
    await d.learn(700);
    const env = new MaskedEnv(1);
    let { obs, info } = env.reset({ seed: 3 });
    const q0: number[] = [];
    for (let t = 0; t < 40; t++) {
      if ((info.actionMask as Uint8Array)[0]) q0.push(d.qValues(obs)[0]!);
      ({ obs, info } = env.reset());
    }
    const mean = q0.reduce((a, b) => a + b, 0) / q0.length;
    expect(mean).toBeGreaterThan(1.25);
    expect(mean).toBeLessThan(1.8);
    d.dispose();
  });

  it('leaks no tensors over act and train calls', async () => {
    const d = await DQN.create('CartPole-v1', { ...TINY, seed: 0 });
    await d.learn(60); // creates Adam's slot variables
    const before = tf.memory().numTensors;
    const env = make<Float32Array, number>('CartPole-v1');
    const { obs, info } = env.reset({ seed: 0 });
    for (let i = 0; i < 100; i++) d.predict(obs, info, i % 2 === 0);
    await d.learn(200);
    expect(tf.memory().numTensors).toBe(before);
    d.dispose();
  });

  it('rejects bad Args and directories in one line', async () => {
    await expect(DQN.create('CartPole-v1', { tau: 0 })).rejects.toThrow(/tau must be in \(0, 1\]/);
    await expect(DQN.create('CartPole-v1', { batchSize: 1.5 })).rejects.toThrow(/batchSize must be an integer/);
    await expect(DQN.create('CartPole-v1', { epsilon: 0.1 } as object)).rejects.toThrow(/^DQN: no arg "epsilon"/);
    await expect(DQN.create('CartPole-v1', { endE: 1.5 })).rejects.toThrow('DQN: endE must be in [0, 1], got 1.5');
    await expect(DQN.create('CartPole-v1', { learningRate: 0 })).rejects.toThrow('DQN: learningRate must be in (0, ∞), got 0');
    await expect(DQN.load('/nonexistent/model')).rejects.toThrow(/does not exist/);
  });
});
