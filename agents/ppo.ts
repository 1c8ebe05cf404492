/**
 * PPO with a clipped surrogate objective for discrete actions, in the style of CleanRL's `ppo.py`
 * (vwxyzjn/cleanrl; "The 37 implementation details of PPO"), readable top to bottom:
 * `Args` → networks → rollout → GAE → update → save/load.
 *
 * Same defaults and details as CleanRL: lr 2.5e-4 linearly annealed to 0; 4 envs × 128 steps; 4
 * minibatches × 4 epochs; γ 0.99, GAE λ 0.95; per-minibatch advantage normalisation; clip 0.2 with value
 * clipping; entropy 0.01; value coefficient 0.5; global gradient-norm clip 0.5; Adam eps 1e-5; orthogonal
 * init (√2 hidden, 0.01 policy head, 1.0 value head); separate 64-64 tanh actor and critic.
 *
 * Deliberate differences from CleanRL:
 * * **Bootstraps on truncation.** CleanRL sets `next_done = terminated or truncated` and treats a time
 *   limit as a terminal state. Here, as in SB3, when a sub-env is truncated (and not terminated) its
 *   reward gets `+ γ·V(final_obs)`, with the final observation from `infos.final_obs` (the vector env runs
 *   in `same_step` autoreset mode), and the episode boundary then cuts GAE as usual. On a continuing
 *   system with a fixed horizon (the SideCore env) the shortcut would bias every value.
 * * **Action masks** (`info.actionMask`, as SB3-contrib's MaskablePPO): masked logits are set to −1e8
 *   for sampling, for the stored masks' log-probabilities and entropy during the update, and for the
 *   greedy action.
 * * Acting uses a plain Float64Array forward pass (`nn/mlp.ts`) copied from the tfjs weights after every
 *   update; tfjs (wasm backend by default) does the training only. The rollout's values and GAE are
 *   float64 (CleanRL: float32 tensors); the minibatch tensors are float32 as in CleanRL.
 * * **Logged statistics** are means over all minibatches of the update for every loss term, the
 *   approximate KL and the clip fraction (CleanRL averages only the clip fraction and logs the last
 *   minibatch's losses and KL); the `targetKl` early stop still looks at the last minibatch's KL, as
 *   CleanRL does.
 * * `learn(n)` with fewer steps than one rollout is an error (CleanRL silently runs zero iterations).
 * * A run can be checkpointed and resumed bit for bit (`nn/learner.ts`); CleanRL has no resume.
 *
 * GAE is `nn/gae.ts` and the clipped loss `nn/ppo-loss.ts`, each a pure function with its own tests.
 *
 * Determinism: one PCG64 stream from `seed` draws the initial weights, the actions and the minibatch
 * permutations; the envs are reset with seeds seed, seed + 1, …; the same seed on the same backend gives
 * the same weights and returns.
 *
 *   const ppo = await PPO.create('CartPole-v1', { seed: 1 });
 *   await ppo.learn(500_000);
 *   await ppo.save('results/models/ppo');
 *   const a = ppo.predict(obs, info);           // greedy action
 */
import * as tf from '@tensorflow/tfjs';
import type { Info } from '../env/core/env.js';
import { Rng } from '../env/core/rng.js';
import { Box, type Space } from '../env/core/spaces/index.js';
import { SyncVectorEnv } from '../env/core/vector/sync-vector-env.js';
import { checkArgTypes, checkRange } from './nn/args.js';
import { initBackend } from './nn/backend.js';
import { computeGae } from './nn/gae.js';
import { Learner, loadLearnerParts, type EpisodeLog, type LearnCallbacks, type LearnerParts, type LoadOptions, type RunSnapshot } from './nn/learner.js';
import { PlainMlp, buildMlp, initOrthogonal, mlpApply, type MlpShape } from './nn/mlp.js';
import { MASKED_LOGIT, actionMaskOf, discreteActions, flattenObs, maskedArgmax, sampleCategorical } from './nn/policy-io.js';
import { ppoLoss } from './nn/ppo-loss.js';
import { envFactory, type EnvSource } from './nn/saved.js';

export interface PpoArgs {
  /** Seed of the weights, the action sampling, the minibatch shuffles and the envs (env i gets seed + i). */
  seed: number;
  /** Env steps `learn()` trains for when it is not given a number (CleanRL: 500k). */
  totalTimesteps: number;
  /** Adam learning rate (at the start, when annealed). */
  learningRate: number;
  /** Parallel envs in the SyncVectorEnv. */
  numEnvs: number;
  /** Steps per env per rollout (the batch is numEnvs × numSteps = 512). */
  numSteps: number;
  /** Anneal the learning rate linearly to 0 over the iterations of a `learn()` call. */
  annealLr: boolean;
  /** Discount factor γ. */
  gamma: number;
  /** GAE λ. */
  gaeLambda: number;
  /** Minibatches per epoch (minibatch = batch / numMinibatches = 128). */
  numMinibatches: number;
  /** Epochs over each rollout (K). */
  updateEpochs: number;
  /** Normalise the advantages in each minibatch (mean 0, std 1, ε 1e-8). */
  normAdv: boolean;
  /** Surrogate clipping coefficient ε. */
  clipCoef: number;
  /** Clip the value loss around the rollout's values with the same ε. */
  clipVloss: boolean;
  /** Entropy bonus coefficient. */
  entCoef: number;
  /** Value-loss coefficient. */
  vfCoef: number;
  /** Maximum global norm of the gradient (over actor and critic together). */
  maxGradNorm: number;
  /** Stop an update's epochs early when the approximate KL exceeds this (null: never, as CleanRL). */
  targetKl: number | null;
  /** Adam ε (1e-5, as CleanRL and SB3; PyTorch's default is 1e-8). */
  adamEps: number;
  /** Hidden layer sizes of both the actor and the critic (tanh). */
  hidden: number[];
  /** tfjs backend used for training: wasm | tensorflow (needs @tensorflow/tfjs-node) | cpu. */
  backend: string;
}

export const PPO_DEFAULTS: Readonly<PpoArgs> = Object.freeze({
  seed: 1,
  totalTimesteps: 500_000,
  learningRate: 2.5e-4,
  numEnvs: 4,
  numSteps: 128,
  annealLr: true,
  gamma: 0.99,
  gaeLambda: 0.95,
  numMinibatches: 4,
  updateEpochs: 4,
  normAdv: true,
  clipCoef: 0.2,
  clipVloss: true,
  entCoef: 0.01,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  targetKl: null,
  adamEps: 1e-5,
  hidden: [64, 64],
  backend: 'wasm',
});

/** Statistics of one update (CleanRL's log keys), the losses averaged over the update's minibatches. */
export interface PpoUpdateStats {
  iteration: number;
  globalStep: number;
  learningRate: number;
  pgLoss: number;
  vLoss: number;
  entropy: number;
  approxKl: number;
  clipfrac: number;
  explainedVariance: number;
  /** Env + learning steps per second over this `learn()` call so far. */
  sps: number;
}

export type { EpisodeLog, LearnCallbacks };

/** Validates args: positive integers where counts are expected, a batch that splits into minibatches. */
function checkArgs(a: PpoArgs): void {
  const ints: (keyof PpoArgs)[] = ['seed', 'totalTimesteps', 'numEnvs', 'numSteps', 'numMinibatches', 'updateEpochs'];
  for (const k of ints) {
    const v = a[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < (k === 'seed' ? 0 : 1)) throw new Error(`PPO: ${k} must be a ${k === 'seed' ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(v)}`);
  }
  if ((a.numEnvs * a.numSteps) % a.numMinibatches !== 0) throw new Error(`PPO: the batch (numEnvs × numSteps = ${a.numEnvs * a.numSteps}) must split into numMinibatches (${a.numMinibatches})`);
  if (!a.hidden.every((h) => Number.isInteger(h) && h > 0)) throw new Error(`PPO: hidden must be positive integers, got ${JSON.stringify(a.hidden)}`);
  checkRange('PPO', 'learningRate', a.learningRate, 0, Infinity, 'lo');
  checkRange('PPO', 'gamma', a.gamma, 0, 1);
  checkRange('PPO', 'gaeLambda', a.gaeLambda, 0, 1);
  checkRange('PPO', 'clipCoef', a.clipCoef, 0, Infinity, 'lo');
  checkRange('PPO', 'entCoef', a.entCoef, 0, Infinity);
  checkRange('PPO', 'vfCoef', a.vfCoef, 0, Infinity);
  checkRange('PPO', 'maxGradNorm', a.maxGradNorm, 0, Infinity, 'lo');
  if (a.targetKl !== null) checkRange('PPO', 'targetKl', a.targetKl, 0, Infinity, 'lo');
  checkRange('PPO', 'adamEps', a.adamEps, 0, Infinity, 'lo');
}

/** A training run (one `learn()` call): its length, progress and the env actions taken so far. */
interface PpoRun {
  totalTimesteps: number;
  numIterations: number;
  /** Iterations (rollout + update) completed. */
  iterationsDone: number;
  /** Every env action of the run, [step][env]: replayed to rebuild the envs on resume. */
  actions: Int32Array;
}

export class PPO extends Learner<PpoArgs, PpoUpdateStats> {
  readonly algo = 'ppo';
  readonly actor: tf.Sequential;
  readonly critic: tf.Sequential;
  private readonly actorFast: PlainMlp;
  private readonly criticFast: PlainMlp;
  private run: PpoRun | null = null;

  private constructor(p: LearnerParts<PpoArgs>, actor: tf.Sequential, critic: tf.Sequential) {
    super(p);
    this.actor = actor;
    this.critic = critic;
    this.actorFast = new PlainMlp(PPO.actorShape(this.obsSize, this.nActions, p.args.hidden));
    this.criticFast = new PlainMlp(PPO.criticShape(this.obsSize, p.args.hidden));
    this.syncFast();
  }

  private static actorShape(obsSize: number, nActions: number, hidden: number[]): MlpShape {
    return { inputSize: obsSize, hidden, outputSize: nActions, activation: 'tanh' };
  }

  private static criticShape(obsSize: number, hidden: number[]): MlpShape {
    return { inputSize: obsSize, hidden, outputSize: 1, activation: 'tanh' };
  }

  /** A new agent for the env: initialises the backend, builds and orthogonally initialises both networks. */
  static async create(env: EnvSource, args: Partial<PpoArgs> = {}): Promise<PPO> {
    checkArgTypes('PPO', PPO_DEFAULTS, args);
    const a: PpoArgs = { ...PPO_DEFAULTS, ...args, hidden: [...(args.hidden ?? PPO_DEFAULTS.hidden)] };
    checkArgs(a);
    await initBackend(a.backend);
    const makeEnv = envFactory(env);
    const probe = makeEnv();
    const observationSpace = probe.observationSpace, actionSpace = discreteActions(probe.actionSpace, 'PPO');
    const envSpec = probe.spec?.toJSON() ?? null;
    probe.close();
    const rng = Rng.fromSeed(a.seed);
    const obsSize = observationSpace.flatdim;
    const actor = buildMlp(PPO.actorShape(obsSize, actionSpace.n, a.hidden), 'actor');
    const critic = buildMlp(PPO.criticShape(obsSize, a.hidden), 'critic');
    initOrthogonal(critic, rng, Math.SQRT2, 1.0); // CleanRL builds the critic first
    initOrthogonal(actor, rng, Math.SQRT2, 0.01);
    return new PPO({ args: a, observationSpace, actionSpace, envSpec, makeEnv, rng }, actor, critic);
  }

  /**
   * Loads a saved agent. `env` (optional) is the env it will act in or train on: it must have the same
   * flat observation size and number of actions (else a one-line error); without it, `learn` uses the
   * saved EnvSpec. Non-finite weights are refused. The optimizer state is in checkpoints only
   * (`restoreCheckpoint`); after a plain load, further learning starts with a fresh Adam.
   */
  static async load(dir: string, opts: LoadOptions = {}): Promise<PPO> {
    const { parts, nets, saved } = await loadLearnerParts(dir, 'ppo', PPO_DEFAULTS, checkArgs, opts, (_a, n) => [{ name: 'actor', outputSize: n }, { name: 'critic', outputSize: 1 }]);
    const agent = new PPO(parts, nets.actor!, nets.critic!);
    agent.globalStep = saved.globalStep;
    if (saved.training) agent.training = { ...saved.training };
    return agent;
  }

  protected networks(): Record<string, tf.Sequential> {
    return { actor: this.actor, critic: this.critic };
  }

  protected trainableVariables(): tf.Variable[] {
    return [...this.actor.trainableWeights, ...this.critic.trainableWeights].map((w) => w.read() as tf.Variable);
  }

  /** Copies the tfjs weights into the plain forward passes (after every update and load). */
  private syncFast(): void {
    this.actorFast.copyFrom(this.actor);
    this.criticFast.copyFrom(this.critic);
  }

  /**
   * The action for one observation: greedy (argmax of the masked logits) by default, sampled when
   * `deterministic` is false. Honours `info.actionMask`.
   */
  predict(obs: unknown, info?: Info, deterministic = true): number {
    flattenObs(this.observationSpace, obs, this.obsBuf);
    const logits = this.actorFast.forward(this.obsBuf);
    const mask = actionMaskOf(info, this.nActions);
    const i = deterministic ? maskedArgmax(logits, this.nActions, mask) : sampleCategorical(this.rng, logits, this.nActions, mask, { logp: 0 });
    return this.actionSpace.start + i;
  }

  /** The critic's value of one observation. */
  value(obs: unknown): number {
    flattenObs(this.observationSpace, obs, this.obsBuf);
    return this.criticFast.forward(this.obsBuf)[0]!;
  }

  /** The raw policy logits of one observation (a fresh copy). */
  logits(obs: unknown): Float64Array {
    flattenObs(this.observationSpace, obs, this.obsBuf);
    return Float64Array.from(this.actorFast.forward(this.obsBuf));
  }

  /** Env steps in one rollout (numEnvs × numSteps). */
  get batchSize(): number {
    return this.args.numEnvs * this.args.numSteps;
  }

  /** PPO trains in whole rollouts: `learn(n)` takes ⌊n / batchSize⌋ of them. */
  plannedSteps(totalTimesteps: number): number {
    return Math.floor(totalTimesteps / this.batchSize) * this.batchSize;
  }

  /**
   * Trains for `totalTimesteps` env steps (rounded down to whole rollouts of numEnvs × numSteps; fewer
   * than one rollout is an error), in fresh vector envs reset with the agent's seed. The learning rate
   * anneals over this call.
   */
  async learn(totalTimesteps: number = this.args.totalTimesteps, cb: LearnCallbacks<PpoUpdateStats> = {}): Promise<this> {
    const numIterations = Math.floor(totalTimesteps / this.batchSize);
    if (numIterations < 1) throw new Error(`PPO.learn: ${totalTimesteps} steps is less than one rollout (numEnvs × numSteps = ${this.batchSize}); nothing would be trained`);
    this.args.totalTimesteps = totalTimesteps; // agent.json records the run's length
    this.run = { totalTimesteps, numIterations, iterationsDone: 0, actions: new Int32Array(numIterations * this.batchSize) };
    this.training = { requestedSteps: totalTimesteps, steps: 0, updates: 0, gradientSteps: 0, complete: false };
    return this.train(cb);
  }

  async resumeLearning(cb: LearnCallbacks<PpoUpdateStats> = {}): Promise<this> {
    if (!this.run || !this.runInProgress) throw new Error('PPO.resumeLearning: no interrupted run to continue (restore a checkpoint first)');
    return this.train(cb);
  }

  protected snapshotRun(): RunSnapshot | null {
    const r = this.run;
    if (!r) return null;
    return {
      json: { totalTimesteps: r.totalTimesteps, numIterations: r.numIterations, iterationsDone: r.iterationsDone },
      arrays: { actions: r.actions.slice(0, r.iterationsDone * this.batchSize) },
    };
  }

  protected restoreRun(s: RunSnapshot): void {
    const { totalTimesteps, numIterations, iterationsDone } = s.json as { totalTimesteps: number; numIterations: number; iterationsDone: number };
    const done = s.arrays.actions;
    if (![totalTimesteps, numIterations, iterationsDone].every((x) => Number.isSafeInteger(x) && x >= 0) || !(done instanceof Int32Array) || done.length !== iterationsDone * this.batchSize || iterationsDone > numIterations) {
      throw new Error('the PPO run state does not match its Args');
    }
    const actions = new Int32Array(numIterations * this.batchSize);
    actions.set(done);
    this.run = { totalTimesteps, numIterations, iterationsDone, actions };
  }

  /** The rollout/update loop of the current run, from its first unfinished iteration. */
  private async train(cb: LearnCallbacks<PpoUpdateStats>): Promise<this> {
    if (!this.makeEnv) throw new Error('PPO.learn: this agent has no env (load it with an env to train it further)');
    const run = this.run!;
    await initBackend(this.args.backend);
    const { numEnvs: N, numSteps: T, gamma, gaeLambda } = this.args;
    const batchSize = N * T, minibatchSize = batchSize / this.args.numMinibatches;
    const { numIterations } = run;
    const D = this.obsSize, A = this.nActions, start = this.actionSpace.start;

    // ALGO LOGIC: rollout storage, [T][N] (obs: [T][N][D], masks: [T][N][A])
    const obs = new Float32Array(T * N * D);
    const masks = new Float32Array(T * N * A);
    const actions = new Int32Array(T * N);
    const logprobs = new Float32Array(T * N);
    const rewards = new Float64Array(T * N);
    const dones = new Uint8Array(T * N);
    const values = new Float64Array(T * N);
    const advantages = new Float64Array(T * N);
    const returns = new Float64Array(T * N);
    const lastValues = new Float64Array(N);

    // TRY NOT TO MODIFY: start the game
    const envs = new SyncVectorEnv(Array.from({ length: N }, () => this.makeEnv!), { autoresetMode: 'same_step', copy: false });
    const singleObsSpace = envs.singleObservationSpace;
    const nextObs = new Float32Array(N * D);
    const nextMask = new Float32Array(N * A).fill(1);
    const epReturn = new Float64Array(N), epLength = new Int32Array(N);
    const readBatch = (batched: unknown, infos: Info): void => {
      for (let i = 0; i < N; i++) {
        flattenObsAt(singleObsSpace, batched, i, D, nextObs);
        const m = maskAt(infos, i, A);
        for (let k = 0; k < A; k++) nextMask[i * A + k] = m ? (m[k] ? 1 : 0) : 1;
      }
    };
    const r0 = envs.reset({ seed: this.args.seed });
    readBatch(r0.obs, r0.infos);
    const envActions = new Array<number>(N).fill(0);
    const sampled = { logp: 0 };
    const finalObs = new Float32Array(D);

    try {
      // Resuming: replay the run's actions so far, which brings every env back to where it was.
      for (let k = 0; k < run.iterationsDone * T; k++) {
        for (let i = 0; i < N; i++) envActions[i] = run.actions[k * N + i]!;
        const r = envs.step(envActions);
        for (let i = 0; i < N; i++) {
          epReturn[i] = epReturn[i]! + r.rewards[i]!;
          epLength[i] = epLength[i]! + 1;
          if (r.terminations[i] || r.truncations[i]) {
            epReturn[i] = 0;
            epLength[i] = 0;
          }
        }
        readBatch(r.obs, r.infos);
      }
      const t0 = performance.now();
      const stepsAtStart = this.globalStep;

      for (let iteration = run.iterationsDone + 1; iteration <= numIterations; iteration++) {
        // Annealing the rate if instructed to do so.
        const lrNow = this.args.annealLr ? (1.0 - (iteration - 1.0) / numIterations) * this.args.learningRate : this.args.learningRate;
        this.optimizer.setLearningRate(lrNow);

        for (let step = 0; step < T; step++) {
          this.globalStep += N;
          // ALGO LOGIC: action logic (plain forward pass, one observation at a time)
          for (let i = 0; i < N; i++) {
            const row = step * N + i;
            const o = nextObs.subarray(i * D, (i + 1) * D);
            obs.set(o, row * D);
            const m = nextMask.subarray(i * A, (i + 1) * A);
            masks.set(m, row * A);
            const logits = this.actorFast.forward(o);
            const a = sampleCategorical(this.rng, logits, A, m, sampled);
            actions[row] = a;
            logprobs[row] = sampled.logp;
            values[row] = this.criticFast.forward(o)[0]!;
            envActions[i] = start + a;
            run.actions[((iteration - 1) * T + step) * N + i] = start + a;
          }
          // TRY NOT TO MODIFY: execute the game and log data.
          const r = envs.step(envActions);
          for (let i = 0; i < N; i++) {
            const row = step * N + i;
            const term = r.terminations[i]!, trunc = r.truncations[i]!;
            let reward = r.rewards[i]!;
            epReturn[i] = epReturn[i]! + reward;
            epLength[i] = epLength[i]! + 1;
            if (trunc && !term) {
              // Bootstrap on truncation: the time limit is not a terminal state of the MDP.
              const fo = (r.infos.final_obs as unknown[] | undefined)?.[i];
              if (fo === undefined || fo === null) throw new Error('PPO: a truncated sub-env reported no infos.final_obs');
              flattenObs(singleObsSpace, fo, finalObs);
              reward += gamma * this.criticFast.forward(finalObs)[0]!;
            }
            rewards[row] = reward;
            dones[row] = term || trunc ? 1 : 0;
            if (term || trunc) {
              cb.onEpisode?.({ globalStep: this.globalStep, episodicReturn: epReturn[i]!, episodicLength: epLength[i]! });
              epReturn[i] = 0;
              epLength[i] = 0;
            }
          }
          readBatch(r.obs, r.infos);
        }

        // Bootstrap value if not done; generalised advantage estimation (dones[t] = episode ended after step t).
        for (let i = 0; i < N; i++) lastValues[i] = this.criticFast.forward(nextObs.subarray(i * D, (i + 1) * D))[0]!;
        computeGae({ rewards, values, dones, lastValues, numSteps: T, numEnvs: N, gamma, gaeLambda }, advantages, returns);

        // Optimizing the policy and value network
        const stats = this.update({ obs, masks, actions, logprobs, values, advantages, returns }, batchSize, minibatchSize);
        this.syncFast();
        run.iterationsDone = iteration;
        this.training.steps += batchSize;
        this.training.updates++;
        this.training.gradientSteps += stats.minibatches;
        this.training.complete = iteration === numIterations;

        const sps = (this.globalStep - stepsAtStart) / ((performance.now() - t0) / 1000);
        const { minibatches: _, ...losses } = stats;
        const s: PpoUpdateStats = { iteration, globalStep: this.globalStep, learningRate: lrNow, ...losses, explainedVariance: explainedVariance(values, returns), sps };
        if ((await cb.onUpdate?.(s)) === false) break;
      }
    } finally {
      envs.close();
    }
    return this;
  }

  /**
   * K epochs of minibatch updates over one rollout; returns the statistics averaged over the minibatches
   * taken (as CleanRL logs them) and how many there were.
   */
  private update(
    b: { obs: Float32Array; masks: Float32Array; actions: Int32Array; logprobs: Float32Array; values: Float64Array; advantages: Float64Array; returns: Float64Array },
    batchSize: number, mbSize: number,
  ): { pgLoss: number; vLoss: number; entropy: number; approxKl: number; clipfrac: number; minibatches: number } {
    const D = this.obsSize, A = this.nActions;
    const { clipCoef, entCoef, vfCoef, maxGradNorm, clipVloss, normAdv } = this.args;
    const inds = new Int32Array(batchSize).map((_, i) => i);
    const mObs = new Float32Array(mbSize * D), mMaskPenalty = new Float32Array(mbSize * A), mOneHot = new Float32Array(mbSize * A);
    const mLogp = new Float32Array(mbSize), mAdv = new Float32Array(mbSize), mRet = new Float32Array(mbSize), mVal = new Float32Array(mbSize);
    const vars = this.trainableVariables();
    const sum = { pgLoss: 0, vLoss: 0, entropy: 0, approxKl: 0, clipfrac: 0 };
    let count = 0, lastKl = 0;

    for (let epoch = 0; epoch < this.args.updateEpochs; epoch++) {
      shuffle(this.rng, inds);
      for (let s = 0; s < batchSize; s += mbSize) {
        // Gather the minibatch into typed arrays.
        let advMean = 0;
        for (let j = 0; j < mbSize; j++) {
          const r = inds[s + j]!;
          mObs.set(b.obs.subarray(r * D, (r + 1) * D), j * D);
          for (let k = 0; k < A; k++) {
            mMaskPenalty[j * A + k] = b.masks[r * A + k] ? 0 : MASKED_LOGIT;
            mOneHot[j * A + k] = k === b.actions[r] ? 1 : 0;
          }
          mLogp[j] = b.logprobs[r]!;
          mRet[j] = b.returns[r]!;
          mVal[j] = b.values[r]!;
          advMean += b.advantages[r]!;
        }
        advMean /= mbSize;
        let advVar = 0;
        for (let j = 0; j < mbSize; j++) advVar += (b.advantages[inds[s + j]!]! - advMean) ** 2;
        const advStd = Math.sqrt(advVar / (mbSize - 1)); // torch.std is unbiased
        for (let j = 0; j < mbSize; j++) {
          const adv = b.advantages[inds[s + j]!]!;
          mAdv[j] = normAdv ? (adv - advMean) / (advStd + 1e-8) : adv;
        }

        const statsT = tf.tidy(() => {
          const x = tf.tensor2d(mObs, [mbSize, D]);
          const penalty = tf.tensor2d(mMaskPenalty, [mbSize, A]);
          const oneHot = tf.tensor2d(mOneHot, [mbSize, A]);
          const oldLogp = tf.tensor1d(mLogp), adv = tf.tensor1d(mAdv), ret = tf.tensor1d(mRet), oldVal = tf.tensor1d(mVal);
          let aux: tf.Tensor | undefined;
          const { grads } = tf.variableGrads(() => {
            const logits = mlpApply(this.actor, x).add(penalty);
            const newValue = mlpApply(this.critic, x).reshape([-1]);
            const t = ppoLoss({ logits, oneHot, newValue, oldLogp, advantages: adv, returns: ret, oldValue: oldVal }, { clipCoef, clipVloss, entCoef, vfCoef });
            aux = tf.keep(tf.stack([t.pgLoss, t.vLoss, t.entropy, t.approxKl, t.clipfrac]));
            return t.loss;
          }, vars);
          // Global gradient-norm clipping (torch.nn.utils.clip_grad_norm_).
          const names = Object.keys(grads);
          const gs = names.map((n) => grads[n]!);
          const norm = tf.sqrt(tf.addN(gs.map((g) => g.square().sum())));
          const coef = tf.minimum(tf.scalar(1), tf.scalar(maxGradNorm).div(norm.add(1e-6)));
          this.optimizer.applyGradients(names.map((name, i) => ({ name, tensor: gs[i]!.mul(coef) })));
          return aux!;
        });
        const st = statsT.dataSync();
        statsT.dispose();
        sum.pgLoss += st[0]!;
        sum.vLoss += st[1]!;
        sum.entropy += st[2]!;
        sum.approxKl += st[3]!;
        sum.clipfrac += st[4]!;
        lastKl = st[3]!;
        count++;
      }
      // CleanRL stops on the last minibatch's approximate KL.
      if (this.args.targetKl !== null && lastKl > this.args.targetKl) break;
    }
    return { pgLoss: sum.pgLoss / count, vLoss: sum.vLoss / count, entropy: sum.entropy / count, approxKl: sum.approxKl / count, clipfrac: sum.clipfrac / count, minibatches: count };
  }
}

/** Sub-env i's observation of a batched observation, flattened into out[i·D …]. */
function flattenObsAt(space: Space<unknown>, batched: unknown, i: number, D: number, out: Float32Array): void {
  if (space instanceof Box) {
    const b = batched as Float32Array; // any typed array: a Box batch is n × size, row-major
    out.set(b.subarray(i * D, (i + 1) * D), i * D);
  } else {
    // Discrete batches are Int32Array, composite spaces arrays of samples.
    const x = Array.isArray(batched) ? batched[i] : (batched as ArrayLike<number>)[i];
    flattenObs(space, x, out.subarray(i * D, (i + 1) * D));
  }
}

/** Sub-env i's action mask in batched infos (`infos.actionMask[i]` where `infos._actionMask[i]`). */
export function maskAt(infos: Info, i: number, n: number): ArrayLike<number> | undefined {
  const arr = infos.actionMask as unknown[] | undefined;
  if (!arr) return undefined;
  const present = infos._actionMask as boolean[] | undefined;
  if (present && !present[i]) return undefined;
  const m = arr[i];
  return m === null || m === undefined ? undefined : actionMaskOf({ actionMask: m }, n);
}

/** Fisher–Yates with the agent's generator. */
function shuffle(rng: Rng, a: Int32Array): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.integers(0, i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

/** 1 − Var(returns − values) / Var(returns) (NaN when the returns are constant). */
function explainedVariance(values: Float64Array, returns: Float64Array): number {
  const n = values.length;
  let mr = 0, md = 0;
  for (let i = 0; i < n; i++) {
    mr += returns[i]!;
    md += returns[i]! - values[i]!;
  }
  mr /= n;
  md /= n;
  let vr = 0, vd = 0;
  for (let i = 0; i < n; i++) {
    vr += (returns[i]! - mr) ** 2;
    vd += (returns[i]! - values[i]! - md) ** 2;
  }
  return vr === 0 ? NaN : 1 - vd / vr;
}
