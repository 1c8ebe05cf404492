/**
 * DQN for discrete actions in the style of CleanRL's `dqn.py` (vwxyzjn/cleanrl), readable top to bottom:
 * `Args` → Q-network → replay buffer → main loop → save/load.
 *
 * Same defaults and details as CleanRL: one env; lr 2.5e-4 (Adam); replay buffer of 10k transitions;
 * batch 128; γ 0.99; hard target update (τ = 1) every 500 steps; one gradient step every 10 env steps
 * after 10k learning-start steps; ε linear from 1 to 0.05 over the first 50% of the steps; MSE loss, no
 * gradient clipping; Q-network 120-84 ReLU with PyTorch's default `nn.Linear` initialisation.
 *
 * * **Bootstraps on truncation**, as CleanRL: the buffer stores `terminated` as the done flag (not
 *   `terminated || truncated`) and, for a truncated step, the real final observation, so a time limit is
 *   not a terminal state.
 * * **Action masks** (`info.actionMask`): the greedy action is the argmax over allowed actions, the ε
 *   draw is uniform over allowed actions, and the TD target maximises over the actions allowed in the
 *   next state (the buffer stores the next state's mask).
 * * Acting uses a plain Float64Array forward pass (`nn/mlp.ts`) copied from the tfjs weights after every
 *   gradient step; tfjs (wasm backend by default) does the training and the target network.
 *
 * Determinism: one PCG64 stream from `seed` draws the initial weights, the ε decisions and random
 * actions, and the replay samples; the env is reset with `seed` first and then continues its stream.
 *
 *   const dqn = await DQN.create('CartPole-v1', { seed: 1 });
 *   await dqn.learn(500_000);
 *   await dqn.save('results/models/dqn');
 */
import * as tf from '@tensorflow/tfjs';
import type { Env, Info } from '../env/core/env.js';
import { EnvSpec, type EnvSpecJSON } from '../env/core/registry.js';
import { Rng } from '../env/core/rng.js';
import type { Discrete, Space } from '../env/core/spaces/index.js';
import { backendInfo, initBackend } from './nn/backend.js';
import { fileSystemHandler } from './nn/fs-io.js';
import { PlainMlp, buildMlp, initTorchDefault, mlpApply, type MlpShape } from './nn/mlp.js';
import { MASKED_LOGIT, actionMaskOf, discreteActions, flattenObs, maskedArgmax, uniformAllowed } from './nn/policy-io.js';
import { checkModelFitsEnv, envFactory, readAgentJson, writeAgentJson, type EnvSource } from './nn/saved.js';
import type { EpisodeLog, LearnCallbacks } from './ppo.js';

export interface DqnArgs {
  /** Seed of the weights, the exploration, the replay sampling and the env. */
  seed: number;
  /** Env steps `learn()` trains for when it is not given a number (CleanRL: 500k). */
  totalTimesteps: number;
  /** Adam learning rate (constant). */
  learningRate: number;
  /** Replay buffer capacity (transitions; the oldest are overwritten). */
  bufferSize: number;
  /** Discount factor γ. */
  gamma: number;
  /** Target-network update rate: target ← τ·q + (1 − τ)·target (1 = hard copy). */
  tau: number;
  /** Env steps between target-network updates. */
  targetNetworkFrequency: number;
  /** Transitions per gradient step, sampled uniformly with replacement. */
  batchSize: number;
  /** Initial exploration ε. */
  startE: number;
  /** Final exploration ε. */
  endE: number;
  /** Fraction of `totalTimesteps` over which ε decays linearly from startE to endE. */
  explorationFraction: number;
  /** Env steps before learning starts (the buffer fills with ε ≈ 1 actions meanwhile). */
  learningStarts: number;
  /** Env steps between gradient steps. */
  trainFrequency: number;
  /** Adam ε (PyTorch's default, which CleanRL's DQN keeps). */
  adamEps: number;
  /** Hidden layer sizes of the Q-network (ReLU). */
  hidden: number[];
  /** tfjs backend used for training: wasm | tensorflow (needs @tensorflow/tfjs-node) | cpu. */
  backend: string;
}

export const DQN_DEFAULTS: Readonly<DqnArgs> = Object.freeze({
  seed: 1,
  totalTimesteps: 500_000,
  learningRate: 2.5e-4,
  bufferSize: 10_000,
  gamma: 0.99,
  tau: 1.0,
  targetNetworkFrequency: 500,
  batchSize: 128,
  startE: 1,
  endE: 0.05,
  explorationFraction: 0.5,
  learningStarts: 10_000,
  trainFrequency: 10,
  adamEps: 1e-8,
  hidden: [120, 84],
  backend: 'wasm',
});

/** Training statistics, reported every 100 env steps once learning has started (CleanRL's log keys). */
export interface DqnTrainStats {
  globalStep: number;
  epsilon: number;
  /** MSE TD loss of the last gradient step. */
  tdLoss: number;
  /** Mean Q(s, a) of the last batch. */
  qValues: number;
  /** Env + learning steps per second over this `learn()` call so far. */
  sps: number;
}

export type { EpisodeLog, LearnCallbacks };

/** CleanRL's `linear_schedule`. */
export function linearSchedule(startE: number, endE: number, duration: number, t: number): number {
  const slope = (endE - startE) / duration;
  return Math.max(slope * t + startE, endE);
}

function checkArgs(a: DqnArgs): void {
  const ints: (keyof DqnArgs)[] = ['seed', 'totalTimesteps', 'bufferSize', 'targetNetworkFrequency', 'batchSize', 'learningStarts', 'trainFrequency'];
  for (const k of ints) {
    const v = a[k];
    const min = k === 'seed' || k === 'learningStarts' ? 0 : 1;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new Error(`DQN: ${k} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  }
  if (!(a.tau > 0 && a.tau <= 1)) throw new Error(`DQN: tau must be in (0, 1], got ${a.tau}`);
  if (!a.hidden.every((h) => Number.isInteger(h) && h > 0)) throw new Error(`DQN: hidden must be positive integers, got ${JSON.stringify(a.hidden)}`);
}

/** A circular replay buffer of flat transitions (SB3's ReplayBuffer with one env). */
class ReplayBuffer {
  readonly obs: Float32Array;
  readonly nextObs: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  /** `terminated` only: truncated transitions bootstrap. */
  readonly dones: Uint8Array;
  /** The next state's action mask (all ones when the env has none). */
  readonly nextMasks: Uint8Array;
  pos = 0;
  full = false;

  constructor(readonly size: number, readonly D: number, readonly A: number) {
    this.obs = new Float32Array(size * D);
    this.nextObs = new Float32Array(size * D);
    this.actions = new Int32Array(size);
    this.rewards = new Float32Array(size);
    this.dones = new Uint8Array(size);
    this.nextMasks = new Uint8Array(size * A);
  }

  add(obs: Float32Array, nextObs: Float32Array, action: number, reward: number, done: boolean, nextMask: ArrayLike<number> | undefined): void {
    const p = this.pos, D = this.D, A = this.A;
    this.obs.set(obs, p * D);
    this.nextObs.set(nextObs, p * D);
    this.actions[p] = action;
    this.rewards[p] = reward;
    this.dones[p] = done ? 1 : 0;
    for (let k = 0; k < A; k++) this.nextMasks[p * A + k] = nextMask ? (nextMask[k] ? 1 : 0) : 1;
    this.pos = (p + 1) % this.size;
    if (this.pos === 0) this.full = true;
  }

  get length(): number {
    return this.full ? this.size : this.pos;
  }
}

export class DQN {
  readonly args: DqnArgs;
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Discrete;
  readonly envSpec: EnvSpecJSON | null;
  readonly obsSize: number;
  readonly nActions: number;
  readonly qNetwork: tf.Sequential;
  readonly targetNetwork: tf.Sequential;
  private readonly qFast: PlainMlp;
  private readonly optimizer: tf.Optimizer;
  private readonly rng: Rng;
  private readonly makeEnv: (() => Env<unknown, unknown>) | null;
  private readonly obsBuf: Float32Array;
  /** Env steps trained so far (over all `learn()` calls). */
  globalStep = 0;
  /** The current exploration rate (used by `predict(…, deterministic = false)`). */
  epsilon: number;

  private constructor(p: {
    args: DqnArgs; observationSpace: Space<unknown>; actionSpace: Discrete; envSpec: EnvSpecJSON | null;
    qNetwork: tf.Sequential; makeEnv: (() => Env<unknown, unknown>) | null; rng: Rng;
  }) {
    this.args = p.args;
    this.observationSpace = p.observationSpace;
    this.actionSpace = p.actionSpace;
    this.envSpec = p.envSpec;
    this.obsSize = p.observationSpace.flatdim;
    this.nActions = p.actionSpace.n;
    this.qNetwork = p.qNetwork;
    this.targetNetwork = buildMlp(DQN.qShape(this.obsSize, this.nActions, p.args.hidden), 'target');
    this.updateTarget(1.0);
    this.makeEnv = p.makeEnv;
    this.rng = p.rng;
    this.qFast = new PlainMlp(DQN.qShape(this.obsSize, this.nActions, p.args.hidden));
    this.qFast.copyFrom(this.qNetwork);
    this.optimizer = tf.train.adam(p.args.learningRate, 0.9, 0.999, p.args.adamEps);
    this.obsBuf = new Float32Array(this.obsSize);
    this.epsilon = p.args.endE;
  }

  private static qShape(obsSize: number, nActions: number, hidden: number[]): MlpShape {
    return { inputSize: obsSize, hidden, outputSize: nActions, activation: 'relu' };
  }

  /** A new agent for the env: initialises the backend and builds the Q-network and its target. */
  static async create(env: EnvSource, args: Partial<DqnArgs> = {}): Promise<DQN> {
    const a: DqnArgs = { ...DQN_DEFAULTS, ...args, hidden: [...(args.hidden ?? DQN_DEFAULTS.hidden)] };
    checkArgs(a);
    await initBackend(a.backend);
    const makeEnv = envFactory(env);
    const probe = makeEnv();
    const observationSpace = probe.observationSpace, actionSpace = discreteActions(probe.actionSpace, 'DQN');
    const envSpec = probe.spec?.toJSON() ?? null;
    probe.close();
    const rng = Rng.fromSeed(a.seed);
    const qNetwork = buildMlp(DQN.qShape(observationSpace.flatdim, actionSpace.n, a.hidden), 'q');
    initTorchDefault(qNetwork, rng);
    return new DQN({ args: a, observationSpace, actionSpace, envSpec, qNetwork, makeEnv, rng });
  }

  /** target ← τ·q + (1 − τ)·target. */
  private updateTarget(tau: number): void {
    tf.tidy(() => {
      const q = this.qNetwork.getWeights();
      if (tau === 1) {
        this.targetNetwork.setWeights(q);
      } else {
        const t = this.targetNetwork.getWeights();
        this.targetNetwork.setWeights(q.map((w, i) => w.mul(tau).add(t[i]!.mul(1 - tau))));
      }
    });
  }

  /** The Q-values of one observation (a fresh copy). */
  qValues(obs: unknown): Float64Array {
    flattenObs(this.observationSpace, obs, this.obsBuf);
    return Float64Array.from(this.qFast.forward(this.obsBuf));
  }

  /**
   * The action for one observation: greedy (argmax of Q over allowed actions) by default; ε-greedy with
   * the current ε when `deterministic` is false. Honours `info.actionMask`.
   */
  predict(obs: unknown, info?: Info, deterministic = true): number {
    const mask = actionMaskOf(info, this.nActions);
    if (!deterministic && this.rng.random() < this.epsilon) return this.actionSpace.start + uniformAllowed(this.rng, this.nActions, mask);
    flattenObs(this.observationSpace, obs, this.obsBuf);
    return this.actionSpace.start + maskedArgmax(this.qFast.forward(this.obsBuf), this.nActions, mask);
  }

  /**
   * Trains for `totalTimesteps` env steps in a fresh env reset with the agent's seed. ε decays over this
   * call (explorationFraction × totalTimesteps); learning starts after `learningStarts` steps of it.
   */
  async learn(totalTimesteps: number = this.args.totalTimesteps, cb: LearnCallbacks<DqnTrainStats> = {}): Promise<this> {
    if (!this.makeEnv) throw new Error('DQN.learn: this agent has no env (load it with an env to train it further)');
    await initBackend(this.args.backend);
    const a = this.args, D = this.obsSize, A = this.nActions, start = this.actionSpace.start;
    const rb = new ReplayBuffer(a.bufferSize, D, A);
    const env = this.makeEnv();
    const obs = new Float32Array(D), nextObs = new Float32Array(D);
    // Minibatch staging buffers.
    const B = a.batchSize;
    const bObs = new Float32Array(B * D), bNext = new Float32Array(B * D), bOneHot = new Float32Array(B * A), bPenalty = new Float32Array(B * A);
    const bRew = new Float32Array(B), bNotDone = new Float32Array(B);
    const vars = this.qNetwork.trainableWeights.map((w) => w.read() as tf.Variable);
    let tdLoss = NaN, qMean = NaN;

    // TRY NOT TO MODIFY: start the game
    let r0 = env.reset({ seed: a.seed });
    flattenObs(env.observationSpace, r0.obs, obs);
    let mask = actionMaskOf(r0.info, A);
    let epReturn = 0, epLength = 0;
    const t0 = performance.now();
    try {
      for (let step = 0; step < totalTimesteps; step++) {
        this.globalStep++;
        // ALGO LOGIC: put action logic here
        this.epsilon = linearSchedule(a.startE, a.endE, a.explorationFraction * totalTimesteps, step);
        const action = this.rng.random() < this.epsilon ? uniformAllowed(this.rng, A, mask) : maskedArgmax(this.qFast.forward(obs), A, mask);

        // TRY NOT TO MODIFY: execute the game and log data.
        const r = env.step(start + action);
        epReturn += r.reward;
        epLength++;
        flattenObs(env.observationSpace, r.obs, nextObs);
        const nextMask = actionMaskOf(r.info, A);
        // The env is not auto-reset, so r.obs is the real next state also on truncation; only
        // `terminated` stops the bootstrap.
        rb.add(obs, nextObs, action, r.reward, r.terminated, nextMask);
        if (r.terminated || r.truncated) {
          cb.onEpisode?.({ globalStep: this.globalStep, episodicReturn: epReturn, episodicLength: epLength });
          epReturn = 0;
          epLength = 0;
          r0 = env.reset();
          flattenObs(env.observationSpace, r0.obs, obs);
          mask = actionMaskOf(r0.info, A);
        } else {
          obs.set(nextObs);
          mask = nextMask;
        }

        // ALGO LOGIC: training.
        if (step > a.learningStarts) {
          if (step % a.trainFrequency === 0) {
            const n = rb.length;
            for (let j = 0; j < B; j++) {
              const k = this.rng.integers(0, n);
              bObs.set(rb.obs.subarray(k * D, (k + 1) * D), j * D);
              bNext.set(rb.nextObs.subarray(k * D, (k + 1) * D), j * D);
              for (let c = 0; c < A; c++) {
                bOneHot[j * A + c] = c === rb.actions[k] ? 1 : 0;
                bPenalty[j * A + c] = rb.nextMasks[k * A + c] ? 0 : MASKED_LOGIT;
              }
              bRew[j] = rb.rewards[k]!;
              bNotDone[j] = 1 - rb.dones[k]!;
            }
            const out = tf.tidy(() => {
              const x = tf.tensor2d(bObs, [B, D]), xNext = tf.tensor2d(bNext, [B, D]);
              const oneHot = tf.tensor2d(bOneHot, [B, A]);
              // TD target with the target network, maximised over the next state's allowed actions.
              const targetMax = mlpApply(this.targetNetwork, xNext).add(tf.tensor2d(bPenalty, [B, A])).max(1);
              const tdTarget = tf.tensor1d(bRew).add(targetMax.mul(a.gamma).mul(tf.tensor1d(bNotDone)));
              let oldVal: tf.Tensor | undefined;
              const { value, grads } = tf.variableGrads(() => {
                const qa = mlpApply(this.qNetwork, x).mul(oneHot).sum(1);
                oldVal = tf.keep(qa.mean());
                return tdTarget.sub(qa).square().mean() as tf.Scalar;
              }, vars);
              this.optimizer.applyGradients(grads);
              const both = tf.stack([value, oldVal!]);
              oldVal!.dispose(); // kept out of variableGrads' scope
              return both;
            });
            this.qFast.copyFrom(this.qNetwork);
            if (step % 100 === 0) {
              const v = out.dataSync();
              tdLoss = v[0]!;
              qMean = v[1]!;
            }
            out.dispose();
          }
          // update target network
          if (step % a.targetNetworkFrequency === 0) this.updateTarget(a.tau);
          if (step % 100 === 0) {
            const sps = (step + 1) / ((performance.now() - t0) / 1000);
            if ((await cb.onUpdate?.({ globalStep: this.globalStep, epsilon: this.epsilon, tdLoss, qValues: qMean, sps })) === false) break;
          }
        }
      }
    } finally {
      env.close();
    }
    return this;
  }

  /** Saves `q/` (tfjs model files) and `agent.json` under `dir`. */
  async save(dir: string): Promise<void> {
    await this.qNetwork.save(fileSystemHandler(`${dir}/q`));
    writeAgentJson(dir, {
      format: 'iocm-gym-agent', formatVersion: 1, algo: 'dqn',
      args: { ...this.args },
      envSpec: this.envSpec,
      observationSpace: this.observationSpace.toJSON(),
      actionSpace: this.actionSpace.toJSON(),
      obsShape: [this.obsSize], nActions: this.nActions,
      ...backendInfo(),
      globalStep: this.globalStep,
      savedAt: new Date().toISOString(),
      models: { q: 'q' },
    });
  }

  /**
   * Loads a saved agent (the target network starts as a copy of the Q-network; the optimizer state and
   * the replay buffer are not saved). `env`, when given, must fit the model (one-line error otherwise).
   */
  static async load(dir: string, opts: { env?: EnvSource; backend?: string } = {}): Promise<DQN> {
    const saved = readAgentJson(dir, 'dqn');
    const args: DqnArgs = { ...DQN_DEFAULTS, ...(saved.args as Partial<DqnArgs>) };
    if (opts.backend) args.backend = opts.backend;
    checkArgs(args);
    await initBackend(args.backend);
    const actionSpace = discreteActions(saved.actSpace, `${dir}: DQN`);
    let makeEnv: (() => Env<unknown, unknown>) | null = null;
    if (opts.env !== undefined) {
      makeEnv = envFactory(opts.env);
      const probe = makeEnv();
      checkModelFitsEnv(saved, probe, `the DQN model in ${dir}`);
      probe.close();
    } else if (saved.envSpec) {
      const specJson = saved.envSpec;
      makeEnv = () => EnvSpec.fromJSON(specJson).make();
    }
    let q: tf.LayersModel;
    try {
      q = await tf.loadLayersModel(fileSystemHandler(`${dir}/q`));
    } catch (err) {
      throw new Error(`cannot load the q network of ${dir}: ${(err as Error).message.split('\n')[0]}`);
    }
    const inShape = q.inputs[0]?.shape, outShape = q.outputs[0]?.shape;
    if (!(q instanceof tf.Sequential) || inShape?.[1] !== saved.obsShape[0] || outShape?.[1] !== actionSpace.n || q.layers.length !== args.hidden.length + 1) {
      q.dispose();
      throw new Error(`corrupt q network in ${dir}: shape ${JSON.stringify(inShape)} → ${JSON.stringify(outShape)} does not match agent.json`);
    }
    const agent = new DQN({ args, observationSpace: saved.obsSpace, actionSpace, envSpec: saved.envSpec, qNetwork: q, makeEnv, rng: Rng.fromSeed(args.seed) });
    agent.globalStep = saved.globalStep;
    return agent;
  }

  /** Frees the tfjs tensors of both networks and the optimizer. */
  dispose(): void {
    this.qNetwork.dispose();
    this.targetNetwork.dispose();
    this.optimizer.dispose();
  }
}
