/**
 * Checkpoints: a run stopped after N steps, saved, loaded into a fresh agent and resumed to its end is
 * the same run, bit for bit, as one that was never stopped (weights, optimizer, generator, envs, DQN's
 * replay buffer and target network all restored).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import '../../../env/index.js';
import { DQN, type DqnArgs } from '../../../agents/dqn.js';
import { initBackend } from '../../../agents/nn/backend.js';
import { PPO, type PpoArgs } from '../../../agents/ppo.js';
import { tempDir } from '../../temp-dirs.js';
import { MaskedEnv } from '../helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const weightsOf = (nets: tf.LayersModel[]): number[][] => nets.flatMap((n) => n.getWeights().map((w) => Array.from(w.dataSync())));

describe('PPO checkpoints', () => {
  const ARGS: Partial<PpoArgs> = { numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 2, hidden: [8, 8], seed: 4 };
  const TOTAL = 32 * 6;

  it('stop after 2 of 6 iterations, checkpoint, resume == never stopped (masked env with truncations)', async () => {
    const straight = await PPO.create(() => new MaskedEnv(7), ARGS);
    const straightReturns: number[] = [];
    await straight.learn(TOTAL, { onEpisode: (e) => straightReturns.push(e.episodicReturn) });

    const first = await PPO.create(() => new MaskedEnv(7), ARGS);
    const firstReturns: number[] = [];
    await first.learn(TOTAL, { onEpisode: (e) => firstReturns.push(e.episodicReturn), onUpdate: (s) => s.iteration < 2 });
    expect(first.globalStep).toBe(64);
    expect(first.runInProgress).toBe(true);
    const dir = tempDir('ppo-ckpt-');
    await first.saveCheckpoint(dir, { note: 'mine' });
    first.dispose();

    const resumed = await PPO.load(dir, { env: () => new MaskedEnv(7) });
    expect(await resumed.restoreCheckpoint(dir)).toEqual({ note: 'mine' });
    await resumed.resumeLearning({ onEpisode: (e) => firstReturns.push(e.episodicReturn) });

    expect(resumed.globalStep).toBe(TOTAL);
    expect(resumed.training).toEqual({ requestedSteps: TOTAL, steps: TOTAL, updates: 6, gradientSteps: 6 * 2 * 2, complete: true });
    expect(firstReturns).toEqual(straightReturns);
    expect(weightsOf([resumed.actor, resumed.critic])).toEqual(weightsOf([straight.actor, straight.critic]));
    // The generators are in the same state too: the next sampled actions agree.
    const env = new MaskedEnv();
    const { obs, info } = env.reset({ seed: 1 });
    expect(Array.from({ length: 20 }, () => resumed.predict(obs, info, false))).toEqual(Array.from({ length: 20 }, () => straight.predict(obs, info, false)));
    straight.dispose();
    resumed.dispose();
  });

  it('refuses to resume a finished model, and a checkpoint of the other algorithm', async () => {
    const p = await PPO.create('CartPole-v1', ARGS);
    await p.learn(32);
    const dir = tempDir('ppo-done-');
    await p.save(dir);
    const q = await PPO.load(dir);
    await expect(q.restoreCheckpoint(dir)).rejects.toThrow(/holds no checkpoint/);
    await expect(q.resumeLearning()).rejects.toThrow(/no interrupted run/);
    await expect(DQN.load(dir)).rejects.toThrow(/holds a ppo model, not dqn/);
    p.dispose();
    q.dispose();
  });
});

describe('DQN checkpoints', () => {
  const ARGS: Partial<DqnArgs> = { learningStarts: 40, trainFrequency: 2, batchSize: 8, bufferSize: 64, targetNetworkFrequency: 30, hidden: [8], seed: 6 };
  const TOTAL = 500;

  it('stop at step 301 (replay buffer wrapped, target updated), checkpoint, resume == never stopped', async () => {
    const straight = await DQN.create('CartPole-v1', ARGS);
    const straightReturns: number[] = [];
    await straight.learn(TOTAL, { onEpisode: (e) => straightReturns.push(e.episodicReturn) });

    const first = await DQN.create('CartPole-v1', ARGS);
    const returns: number[] = [];
    await first.learn(TOTAL, { onEpisode: (e) => returns.push(e.episodicReturn), onUpdate: (s) => s.globalStep < 301 });
    expect(first.globalStep).toBe(301);
    const dir = tempDir('dqn-ckpt-');
    await first.saveCheckpoint(dir);
    first.dispose();

    const resumed = await DQN.load(dir, { env: 'CartPole-v1' });
    await resumed.restoreCheckpoint(dir);
    await resumed.resumeLearning({ onEpisode: (e) => returns.push(e.episodicReturn) });
    expect(resumed.globalStep).toBe(TOTAL);
    // Gradient steps at t = 42, 44, …, 498: (498 − 42) / 2 + 1.
    expect(resumed.training).toEqual({ requestedSteps: TOTAL, steps: TOTAL, updates: 229, gradientSteps: 229, complete: true });
    expect(returns).toEqual(straightReturns);
    expect(weightsOf([resumed.qNetwork, resumed.targetNetwork])).toEqual(weightsOf([straight.qNetwork, straight.targetNetwork]));
    straight.dispose();
    resumed.dispose();
  });

  it('refuses a run that would take no gradient step', async () => {
    const d = await DQN.create('CartPole-v1', ARGS);
    // The first gradient step is at t = 42, so 42 steps (t = 0 … 41) take none and 43 take one.
    await expect(d.learn(42)).rejects.toThrow(/42 steps take no gradient step/);
    await d.learn(43);
    expect(d.training).toMatchObject({ steps: 43, gradientSteps: 1, complete: true });
    d.dispose();
  });
});
