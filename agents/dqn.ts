/**
 * DQN for discrete actions in the style of CleanRL's `dqn.py` (vwxyzjn/cleanrl), readable top to bottom:
 * `Args` → Q-network → replay buffer → main loop → save/load.
 *
 * Same defaults and details as CleanRL: one env; lr 2.5e-4 (Adam); replay buffer of 10k transitions;
 * batch 128; γ 0.99; hard target update (τ = 1) every 500 steps; one gradient step every 10 env steps
 * after 10k learning-start steps; ε linear from 1 to 0.05 over the first 50% of the steps; MSE loss, no
 * gradient clipping; Q-network 120-84 ReLU with PyTorch's default `nn.Linear` initialisation.
 *
 * Deliberate differences from CleanRL:
 * * **Action masks** (`info.actionMask`): the greedy action is the argmax over allowed actions, the ε
 *   draw is uniform over allowed actions, and the TD target maximises over the actions allowed in the
 *   next state (the buffer stores the next state's mask).
 * * Acting uses a plain Float64Array forward pass (`nn/mlp.ts`) copied from the tfjs weights after every
 *   gradient step; tfjs (wasm backend by default) does the training and the target network.
 * * The statistics (`tdLoss`, `qValues`) are those of the gradient step at the last multiple of 100
 *   steps, as CleanRL logs them; `onUpdate` is called every 100 env steps from the start (CleanRL logs
 *   only once learning has started), so that a caller can stop or checkpoint during the warm-up too.
 * * `learn(n)` with n ≤ learningStarts is an error: no gradient step would be taken (CleanRL runs it).
 * * A run can be checkpointed and resumed bit for bit, replay buffer included (`nn/learner.ts`).
 *
 * Same as CleanRL, **bootstraps on truncation**: the buffer stores `terminated` as the done flag (not
 * `terminated || truncated`) and, for a truncated step, the real final observation, so a time limit is
 * not a terminal state.
 *
 * Determinism: one PCG64 stream from `seed` draws the initial weights, the ε decisions and random
 * actions, and the replay samples; the env is reset with `seed` first and then continues its stream.
 *
 *   const dqn = await DQN.create('CartPole-v1', { seed: 1 });
 *   await dqn.learn(500_000);
 *   await dqn.save('results/models/dqn');
 */
import * as tf from '@tensorflow/tfjs';
import type { Info } from '../env/core/env.js';
import { Rng } from '../env/core/rng.js';
import { checkArgTypes, checkRange } from './nn/args.js';
import { initBackend } from './nn/backend.js';
import { Learner, loadLearnerParts, type EpisodeLog, type LearnCallbacks, type LearnerParts, type LoadOptions, type RunSnapshot } from './nn/learner.js';
import { PlainMlp, buildMlp, initTorchDefault, mlpApply, type MlpShape } from './nn/mlp.js';
import { MASKED_LOGIT, actionMaskOf, discreteActions, flattenObs, maskedArgmax, uniformAllowed } from './nn/policy-io.js';
import { envFactory, type EnvSource } from './nn/saved.js';

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

/** Training statistics, reported every 100 env steps (CleanRL's log keys; NaN losses before learning starts). */
export interface DqnTrainStats {
  globalStep: number;
  epsilon: number;
  /** MSE TD loss of the gradient step at the last multiple of 100 steps. */
  tdLoss: number;
  /** Mean Q(s, a) of that step's batch. */
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

/**
 * Gradient steps a run of `totalTimesteps` env steps takes: one at every step index t ≤ totalTimesteps − 1
 * with t > learningStarts and t divisible by trainFrequency (CleanRL's loop).
 */
export function dqnGradientSteps(a: Pick<DqnArgs, 'learningStarts' | 'trainFrequency'>, totalTimesteps: number): number {
  const first = (Math.floor(a.learningStarts / a.trainFrequency) + 1) * a.trainFrequency;
  return totalTimesteps - 1 >= first ? Math.floor((totalTimesteps - 1 - first) / a.trainFrequency) + 1 : 0;
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
  checkRange('DQN', 'learningRate', a.learningRate, 0, Infinity, 'lo');
  checkRange('DQN', 'gamma', a.gamma, 0, 1);
  checkRange('DQN', 'startE', a.startE, 0, 1);
  checkRange('DQN', 'endE', a.endE, 0, 1);
  checkRange('DQN', 'explorationFraction', a.explorationFraction, 0, 1, 'lo');
  checkRange('DQN', 'adamEps', a.adamEps, 0, Infinity, 'lo');
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

  /** The arrays of a checkpoint, prefixed `rb.`. */
  arrays(): Record<string, Float32Array | Int32Array | Uint8Array> {
    return { 'rb.obs': this.obs, 'rb.nextObs': this.nextObs, 'rb.actions': this.actions, 'rb.rewards': this.rewards, 'rb.dones': this.dones, 'rb.nextMasks': this.nextMasks };
  }

  /** Restores the contents saved by `arrays()` (same capacity and sizes). */
  restore(a: Record<string, Float32Array | Int32Array | Uint8Array>, pos: number, full: boolean): void {
    for (const [k, dst] of Object.entries(this.arrays())) {
      const src = a[k];
      if (!src || src.length !== dst.length || src.constructor !== dst.constructor) throw new Error(`replay buffer array ${k} does not match the Args`);
      dst.set(src as never);
    }
    if (!Number.isSafeInteger(pos) || pos < 0 || pos >= this.size) throw new Error(`replay buffer position ${pos} is outside 0…${this.size - 1}`);
    this.pos = pos;
    this.full = full;
  }
}

/** A training run (one `learn()` call): its length, progress and the env actions taken so far. */
interface DqnRun {
  totalTimesteps: number;
  /** Env steps completed. */
  stepsDone: number;
  /** Every env action of the run: replayed to rebuild the env on resume. */
  actions: Int32Array;
  rb: ReplayBuffer;
  tdLoss: number;
  qMean: number;
}

export class DQN extends Learner<DqnArgs, DqnTrainStats> {
  readonly algo = 'dqn';
  readonly qNetwork: tf.Sequential;
  readonly targetNetwork: tf.Sequential;
  private readonly qFast: PlainMlp;
  /** The current exploration rate (used by `predict(…, deterministic = false)`). */
  epsilon: number;
  private run: DqnRun | null = null;

  private constructor(p: LearnerParts<DqnArgs>, qNetwork: tf.Sequential) {
    super(p);
    this.qNetwork = qNetwork;
    this.targetNetwork = buildMlp(DQN.qShape(this.obsSize, this.nActions, p.args.hidden), 'target');
    this.updateTarget(1.0);
    this.qFast = new PlainMlp(DQN.qShape(this.obsSize, this.nActions, p.args.hidden));
    this.qFast.copyFrom(this.qNetwork);
    this.epsilon = p.args.endE;
  }

  private static qShape(obsSize: number, nActions: number, hidden: number[]): MlpShape {
    return { inputSize: obsSize, hidden, outputSize: nActions, activation: 'relu' };
  }

  /** A new agent for the env: initialises the backend and builds the Q-network and its target. */
  static async create(env: EnvSource, args: Partial<DqnArgs> = {}): Promise<DQN> {
    checkArgTypes('DQN', DQN_DEFAULTS, args);
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
    return new DQN({ args: a, observationSpace, actionSpace, envSpec, makeEnv, rng }, qNetwork);
  }

  /**
   * Loads a saved agent (the target network starts as a copy of the Q-network; the optimizer state, the
   * target network and the replay buffer are in checkpoints only, see `restoreCheckpoint`). `env`, when
   * given, must fit the model. Non-finite weights are refused. One-line errors.
   */
  static async load(dir: string, opts: LoadOptions = {}): Promise<DQN> {
    const { parts, nets, saved } = await loadLearnerParts(dir, 'dqn', DQN_DEFAULTS, checkArgs, opts, (a, n) => [{ name: 'q', outputSize: n, layers: a.hidden.length + 1 }]);
    const agent = new DQN(parts, nets.q!);
    agent.globalStep = saved.globalStep;
    if (saved.training) agent.training = { ...saved.training };
    return agent;
  }

  protected networks(): Record<string, tf.Sequential> {
    return { q: this.qNetwork };
  }

  protected trainableVariables(): tf.Variable[] {
    return this.qNetwork.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  override dispose(): void {
    super.dispose();
    this.targetNetwork.dispose();
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

  /** DQN takes exactly the steps it is given. */
  plannedSteps(totalTimesteps: number): number {
    return totalTimesteps;
  }

  /**
   * Trains for `totalTimesteps` env steps in a fresh env reset with the agent's seed. ε decays over this
   * call (explorationFraction × totalTimesteps); learning starts after `learningStarts` steps of it. A run
   * too short for one gradient step is an error.
   */
  async learn(totalTimesteps: number = this.args.totalTimesteps, cb: LearnCallbacks<DqnTrainStats> = {}): Promise<this> {
    if (!Number.isSafeInteger(totalTimesteps) || totalTimesteps < 1) throw new Error(`DQN.learn: totalTimesteps must be a positive integer, got ${totalTimesteps}`);
    if (dqnGradientSteps(this.args, totalTimesteps) === 0) {
      throw new Error(`DQN.learn: ${totalTimesteps} steps take no gradient step (learning starts after learningStarts = ${this.args.learningStarts} steps, then one every trainFrequency = ${this.args.trainFrequency})`);
    }
    this.args.totalTimesteps = totalTimesteps; // agent.json records the run's length
    this.run = { totalTimesteps, stepsDone: 0, actions: new Int32Array(totalTimesteps), rb: new ReplayBuffer(this.args.bufferSize, this.obsSize, this.nActions), tdLoss: NaN, qMean: NaN };
    this.training = { requestedSteps: totalTimesteps, steps: 0, updates: 0, gradientSteps: 0, complete: false };
    return this.train(cb);
  }

  async resumeLearning(cb: LearnCallbacks<DqnTrainStats> = {}): Promise<this> {
    if (!this.run || !this.runInProgress) throw new Error('DQN.resumeLearning: no interrupted run to continue (restore a checkpoint first)');
    return this.train(cb);
  }

  protected snapshotRun(): RunSnapshot | null {
    const r = this.run;
    if (!r) return null;
    const target = this.targetNetwork.getWeights().map((w) => w.dataSync() as Float32Array);
    const targetData = new Float32Array(target.reduce((s, w) => s + w.length, 0));
    let off = 0;
    for (const w of target) {
      targetData.set(w, off);
      off += w.length;
    }
    return {
      json: { totalTimesteps: r.totalTimesteps, stepsDone: r.stepsDone, tdLoss: r.tdLoss, qMean: r.qMean, rbPos: r.rb.pos, rbFull: r.rb.full },
      arrays: { actions: r.actions.slice(0, r.stepsDone), target: targetData, ...r.rb.arrays() },
    };
  }

  protected restoreRun(s: RunSnapshot): void {
    const j = s.json as { totalTimesteps: number; stepsDone: number; tdLoss: number | null; qMean: number | null; rbPos: number; rbFull: boolean };
    const done = s.arrays.actions, target = s.arrays.target;
    if (!Number.isSafeInteger(j.totalTimesteps) || !Number.isSafeInteger(j.stepsDone) || j.stepsDone > j.totalTimesteps || !(done instanceof Int32Array) || done.length !== j.stepsDone) {
      throw new Error('the DQN run state is inconsistent');
    }
    const rb = new ReplayBuffer(this.args.bufferSize, this.obsSize, this.nActions);
    rb.restore(s.arrays, j.rbPos, j.rbFull);
    // The target network's weights, in getWeights() order.
    const shapes = this.targetNetwork.getWeights().map((w) => w.shape);
    const sizes = shapes.map((sh) => sh.reduce((a, b) => a * b, 1));
    if (!(target instanceof Float32Array) || target.length !== sizes.reduce((a, b) => a + b, 0)) throw new Error('the saved target network does not match the Args');
    let off = 0;
    const ts = shapes.map((sh, i) => {
      const t = tf.tensor(target.subarray(off, off + sizes[i]!), sh, 'float32');
      off += sizes[i]!;
      return t;
    });
    this.targetNetwork.setWeights(ts);
    tf.dispose(ts);
    const actions = new Int32Array(j.totalTimesteps);
    actions.set(done);
    this.run = { totalTimesteps: j.totalTimesteps, stepsDone: j.stepsDone, actions, rb, tdLoss: j.tdLoss ?? NaN, qMean: j.qMean ?? NaN };
  }

  /** The main loop of the current run, from its first step not taken. */
  private async train(cb: LearnCallbacks<DqnTrainStats>): Promise<this> {
    if (!this.makeEnv) throw new Error('DQN.learn: this agent has no env (load it with an env to train it further)');
    const run = this.run!;
    const totalTimesteps = run.totalTimesteps, rb = run.rb;
    await initBackend(this.args.backend);
    const a = this.args, D = this.obsSize, A = this.nActions, start = this.actionSpace.start;
    const env = this.makeEnv();
    const obs = new Float32Array(D), nextObs = new Float32Array(D);
    // Minibatch staging buffers.
    const B = a.batchSize;
    const bObs = new Float32Array(B * D), bNext = new Float32Array(B * D), bOneHot = new Float32Array(B * A), bPenalty = new Float32Array(B * A);
    const bRew = new Float32Array(B), bNotDone = new Float32Array(B);
    const vars = this.trainableVariables();

    // TRY NOT TO MODIFY: start the game
    let r0 = env.reset({ seed: a.seed });
    flattenObs(env.observationSpace, r0.obs, obs);
    let mask = actionMaskOf(r0.info, A);
    let epReturn = 0, epLength = 0;
    try {
      // Resuming: replay the run's actions so far, which brings the env back to where it was.
      for (let k = 0; k < run.stepsDone; k++) {
        const r = env.step(run.actions[k]!);
        epReturn += r.reward;
        epLength++;
        if (r.terminated || r.truncated) {
          epReturn = 0;
          epLength = 0;
          r0 = env.reset();
          flattenObs(env.observationSpace, r0.obs, obs);
          mask = actionMaskOf(r0.info, A);
        } else {
          flattenObs(env.observationSpace, r.obs, obs);
          mask = actionMaskOf(r.info, A);
        }
      }
      const t0 = performance.now(), firstStep = run.stepsDone;

      for (let step = run.stepsDone; step < totalTimesteps; step++) {
        this.globalStep++;
        // ALGO LOGIC: put action logic here
        this.epsilon = linearSchedule(a.startE, a.endE, a.explorationFraction * totalTimesteps, step);
        const action = this.rng.random() < this.epsilon ? uniformAllowed(this.rng, A, mask) : maskedArgmax(this.qFast.forward(obs), A, mask);
        run.actions[step] = start + action;

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
              this.optimizer.applyGradients(Object.keys(grads).map((name) => ({ name, tensor: grads[name]! })));
              const both = tf.stack([value, oldVal!]);
              oldVal!.dispose(); // kept out of variableGrads' scope
              return both;
            });
            this.qFast.copyFrom(this.qNetwork);
            this.training.updates++;
            this.training.gradientSteps++;
            if (step % 100 === 0) {
              const v = out.dataSync();
              run.tdLoss = v[0]!;
              run.qMean = v[1]!;
            }
            out.dispose();
          }
          // update target network
          if (step % a.targetNetworkFrequency === 0) this.updateTarget(a.tau);
        }
        run.stepsDone = step + 1;
        this.training.steps = run.stepsDone;
        this.training.complete = run.stepsDone === totalTimesteps;
        if (step % 100 === 0) {
          const sps = (step + 1 - firstStep) / ((performance.now() - t0) / 1000);
          if ((await cb.onUpdate?.({ globalStep: this.globalStep, epsilon: this.epsilon, tdLoss: run.tdLoss, qValues: run.qMean, sps })) === false) break;
        }
      }
    } finally {
      env.close();
    }
    return this;
  }
}
