/**
 * What PPO and DQN share, in the shape of Stable-Baselines3's `BaseAlgorithm`: one uniform surface
 * `learn / predict / save / load` (load is a static of each algorithm, built on `loadLearnerParts`), the
 * callback types, the saved-model directory (`saved.ts`), and checkpoints from which an interrupted
 * training run continues bit for bit.
 *
 * A checkpoint is a saved model directory (usable as a model as it is) plus `checkpoint/`:
 * `state.json` (algorithm, run counters, generator state, optimizer powers, the caller's own `extra`
 * JSON) and raw little-endian binaries (the Adam moments, the env actions of the run so far, and what the
 * algorithm adds: DQN's replay buffer and target network). The envs themselves are not serialised: a
 * resumed run rebuilds them from the seed and replays the logged actions, which puts every env (and its
 * random stream) back in the state it had, since envs are deterministic given seed and actions.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Env, Info } from '../../env/core/env.js';
import { EnvSpec, type EnvSpecJSON } from '../../env/core/registry.js';
import { Rng, type RngState } from '../../env/core/rng.js';
import type { Discrete, Space } from '../../env/core/spaces/index.js';
import { ResumableAdam, type AdamStateJSON } from './adam.js';
import { backendInfo, initBackend } from './backend.js';
import { fileSystemHandler } from './fs-io.js';
import { discreteActions } from './policy-io.js';
import { checkModelFitsEnv, envFactory, loadNetwork, readAgentJson, writeAgentJson, type EnvSource, type SavedAgentJSON, type TrainingRecord } from './saved.js';

export type { TrainingRecord };
export type Algo = 'ppo' | 'dqn';

export interface EpisodeLog {
  globalStep: number;
  episodicReturn: number;
  episodicLength: number;
}

export interface LearnCallbacks<U> {
  /** Every finished training episode (undiscounted return of the raw rewards). */
  onEpisode?(e: EpisodeLog): void;
  /** After every update (awaited, so it may save or evaluate); return `false` to stop learning. */
  onUpdate?(s: U): boolean | void | Promise<boolean | void>;
}

/** The Args every learner has (each algorithm adds its own). */
export interface LearnerArgs {
  seed: number;
  totalTimesteps: number;
  learningRate: number;
  adamEps: number;
  hidden: number[];
  backend: string;
}

/** Everything a learner is built from. */
export interface LearnerParts<A extends LearnerArgs> {
  args: A;
  observationSpace: Space<unknown>;
  actionSpace: Discrete;
  envSpec: EnvSpecJSON | null;
  makeEnv: (() => Env<unknown, unknown>) | null;
  rng: Rng;
}

/** A binary array of a checkpoint. */
export type CheckpointArray = Float32Array | Int32Array | Uint8Array;

/** The algorithm's part of a checkpoint: JSON and named binary arrays. */
export interface RunSnapshot {
  json: Record<string, unknown>;
  arrays: Record<string, CheckpointArray>;
}

const CHECKPOINT = 'checkpoint';
const STATE_JSON = 'state.json';
const ARRAY_TYPES = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array } as const;
type ArrayType = keyof typeof ARRAY_TYPES;

interface CheckpointStateJSON {
  format: 'iocm-gym-checkpoint';
  formatVersion: 1;
  algo: Algo;
  globalStep: number;
  training: TrainingRecord;
  rng: RngState;
  optimizer: AdamStateJSON;
  run: Record<string, unknown>;
  arrays: Record<string, { type: ArrayType; length: number }>;
  extra: unknown;
}

function arrayType(a: CheckpointArray): ArrayType {
  return a instanceof Float32Array ? 'float32' : a instanceof Int32Array ? 'int32' : 'uint8';
}

export abstract class Learner<A extends LearnerArgs, U> {
  abstract readonly algo: Algo;
  readonly args: A;
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Discrete;
  /** The EnvSpec of the training env (null when it was built by a factory without a spec). */
  readonly envSpec: EnvSpecJSON | null;
  readonly obsSize: number;
  readonly nActions: number;
  protected readonly rng: Rng;
  protected readonly makeEnv: (() => Env<unknown, unknown>) | null;
  protected readonly obsBuf: Float32Array;
  protected readonly optimizer: ResumableAdam;
  /** Env steps trained so far (over all `learn()` calls). */
  globalStep = 0;
  /** What the current (or last) training run did. */
  training: TrainingRecord = { requestedSteps: 0, steps: 0, updates: 0, gradientSteps: 0, complete: true };

  protected constructor(p: LearnerParts<A>) {
    this.args = p.args;
    this.observationSpace = p.observationSpace;
    this.actionSpace = p.actionSpace;
    this.envSpec = p.envSpec;
    this.obsSize = p.observationSpace.flatdim;
    this.nActions = p.actionSpace.n;
    this.makeEnv = p.makeEnv;
    this.rng = p.rng;
    this.obsBuf = new Float32Array(this.obsSize);
    this.optimizer = new ResumableAdam(p.args.learningRate, 0.9, 0.999, p.args.adamEps);
  }

  /** The action for one observation (greedy by default); honours `info.actionMask`. */
  abstract predict(obs: unknown, info?: Info, deterministic?: boolean): number;

  /** Trains for `totalTimesteps` env steps in fresh envs reset with the agent's seed (a new run). */
  abstract learn(totalTimesteps?: number, cb?: LearnCallbacks<U>): Promise<this>;

  /** Continues the run restored by `restoreCheckpoint` to its requested steps. */
  abstract resumeLearning(cb?: LearnCallbacks<U>): Promise<this>;

  /** The env steps a `learn(totalTimesteps)` call will actually take (PPO trains in whole rollouts). */
  abstract plannedSteps(totalTimesteps: number): number;

  /** The networks saved as tfjs model files, by sub-directory name. */
  protected abstract networks(): Record<string, tf.Sequential>;

  /** The run in progress, for a checkpoint (null when no run was started). */
  protected abstract snapshotRun(): RunSnapshot | null;

  /** Restores a run from a checkpoint's snapshot. */
  protected abstract restoreRun(s: RunSnapshot): void;

  /** The trainable variables, in the order the optimizer sees them. */
  protected abstract trainableVariables(): tf.Variable[];

  /** Whether a run restored from a checkpoint (or interrupted) still has steps to take. */
  get runInProgress(): boolean {
    return !this.training.complete;
  }

  /** Saves every network (tfjs model files) and `agent.json` under `dir`. */
  async save(dir: string): Promise<void> {
    const nets = this.networks();
    for (const [name, net] of Object.entries(nets)) await net.save(fileSystemHandler(join(dir, name)));
    writeAgentJson(dir, {
      format: 'iocm-gym-agent', formatVersion: 1, algo: this.algo,
      args: { ...this.args } as Record<string, unknown>,
      envSpec: this.envSpec,
      observationSpace: this.observationSpace.toJSON(),
      actionSpace: this.actionSpace.toJSON(),
      obsShape: [this.obsSize], nActions: this.nActions,
      ...backendInfo(),
      globalStep: this.globalStep,
      training: { ...this.training },
      savedAt: new Date().toISOString(),
      models: Object.fromEntries(Object.keys(nets).map((n) => [n, n])),
    });
  }

  /**
   * Saves the model (`save`) and everything a resumed run needs into `dir/checkpoint/`; `extra` is the
   * caller's own JSON (the CLI keeps its options and the training curve there).
   */
  async saveCheckpoint(dir: string, extra: unknown = null): Promise<void> {
    await this.save(dir);
    const run = this.snapshotRun();
    const opt = this.optimizer.exportState();
    const arrays: Record<string, CheckpointArray> = { ...(run?.arrays ?? {}), optimizer: opt.data };
    const cdir = join(dir, CHECKPOINT);
    mkdirSync(cdir, { recursive: true });
    for (const [name, a] of Object.entries(arrays)) writeFileSync(join(cdir, `${name}.bin`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    const state: CheckpointStateJSON = {
      format: 'iocm-gym-checkpoint', formatVersion: 1, algo: this.algo, globalStep: this.globalStep, training: { ...this.training },
      rng: this.rng.getState(), optimizer: opt.json, run: run?.json ?? {},
      arrays: Object.fromEntries(Object.entries(arrays).map(([k, a]) => [k, { type: arrayType(a), length: a.length }])),
      extra,
    };
    writeFileSync(join(cdir, STATE_JSON), JSON.stringify(state) + '\n');
  }

  /** Restores the state a checkpoint in `dir` saved (the agent was loaded from the same `dir`); returns its `extra`. */
  async restoreCheckpoint(dir: string): Promise<unknown> {
    const path = join(dir, CHECKPOINT, STATE_JSON);
    if (!existsSync(path)) throw new Error(`${dir} holds no checkpoint (no ${CHECKPOINT}/${STATE_JSON}): it is a finished model, not an interrupted run`);
    let s: CheckpointStateJSON;
    try {
      s = JSON.parse(readFileSync(path, 'utf8')) as CheckpointStateJSON;
    } catch (err) {
      throw new Error(`corrupt ${path}: ${(err as Error).message.split('\n')[0]}`);
    }
    if (!s || s.format !== 'iocm-gym-checkpoint' || s.formatVersion !== 1 || s.algo !== this.algo || !s.arrays || !s.optimizer) throw new Error(`corrupt ${path}: not an iocm-gym ${this.algo} checkpoint`);
    const arrays: Record<string, CheckpointArray> = {};
    for (const [name, meta] of Object.entries(s.arrays)) {
      const Ctor = ARRAY_TYPES[meta.type];
      const file = join(dir, CHECKPOINT, `${name}.bin`);
      let buf: Buffer;
      try {
        buf = readFileSync(file);
      } catch {
        throw new Error(`corrupt checkpoint in ${dir}: missing ${CHECKPOINT}/${name}.bin`);
      }
      if (!Ctor || buf.byteLength !== meta.length * Ctor.BYTES_PER_ELEMENT) throw new Error(`corrupt checkpoint in ${dir}: ${CHECKPOINT}/${name}.bin has ${buf.byteLength} bytes, state.json says ${meta.length} ${meta.type}`);
      const copy = new Uint8Array(buf.byteLength);
      copy.set(buf);
      arrays[name] = new Ctor(copy.buffer);
    }
    const { optimizer: optData, ...runArrays } = arrays;
    if (!(optData instanceof Float32Array)) throw new Error(`corrupt checkpoint in ${dir}: no optimizer state`);
    try {
      this.rng.setState(s.rng);
      await this.optimizer.importState(s.optimizer, optData);
      this.restoreRun({ json: s.run, arrays: runArrays });
    } catch (err) {
      throw new Error(`corrupt checkpoint in ${dir}: ${(err as Error).message.split('\n')[0]}`);
    }
    this.globalStep = s.globalStep;
    this.training = { ...s.training };
    return s.extra;
  }

  /** Frees the tfjs tensors of the networks and the optimizer. */
  dispose(): void {
    for (const net of Object.values(this.networks())) net.dispose();
    this.optimizer.dispose();
  }
}

/** The shape of a network to load: sub-directory, output size and (optionally) number of dense layers. */
export interface NetworkToLoad {
  name: string;
  outputSize: number;
  layers?: number;
}

export interface LoadOptions {
  /** The env the agent will act in or train on: it must fit the model. Default: the saved EnvSpec. */
  env?: EnvSource;
  /** tfjs backend (default: the one in the saved Args). */
  backend?: string;
}

/**
 * The parts of a saved learner: checked agent.json, Args (defaults filled in, checked by `checkArgs`), the
 * env factory, and its networks (checked by `loadNetwork`). Every failure is one line naming `dir`.
 */
export async function loadLearnerParts<A extends LearnerArgs>(
  dir: string, algo: Algo, defaults: Readonly<A>, checkArgs: (a: A) => void, opts: LoadOptions, nets: (args: A, nActions: number) => NetworkToLoad[],
): Promise<{ parts: LearnerParts<A>; nets: Record<string, tf.Sequential>; saved: SavedAgentJSON }> {
  const saved = readAgentJson(dir, algo);
  const args = { ...defaults, ...(saved.args as Partial<A>) } as A;
  if (opts.backend) args.backend = opts.backend;
  checkArgs(args);
  await initBackend(args.backend);
  const who = algo.toUpperCase();
  const actionSpace = discreteActions(saved.actSpace, `${dir}: ${who}`);
  let makeEnv: (() => Env<unknown, unknown>) | null = null;
  if (opts.env !== undefined) {
    makeEnv = envFactory(opts.env);
    const probe = makeEnv();
    checkModelFitsEnv(saved, probe, `the ${who} model in ${dir}`);
    probe.close();
  } else if (saved.envSpec) {
    const specJson = saved.envSpec;
    makeEnv = () => EnvSpec.fromJSON(specJson).make();
  }
  const loaded: Record<string, tf.Sequential> = {};
  try {
    for (const n of nets(args, actionSpace.n)) loaded[n.name] = await loadNetwork(dir, n.name, saved.obsShape[0]!, n.outputSize, n.layers);
  } catch (err) {
    for (const m of Object.values(loaded)) m.dispose();
    throw err;
  }
  return { parts: { args, observationSpace: saved.obsSpace, actionSpace, envSpec: saved.envSpec, makeEnv, rng: Rng.fromSeed(args.seed) }, nets: loaded, saved };
}

/**
 * The algorithm and the caller's `extra` JSON of the checkpoint in `dir` (to rebuild the envs before the
 * agent is loaded); a one-line error when `dir` holds none.
 */
export function readCheckpointInfo(dir: string): { algo: Algo; extra: unknown; training: TrainingRecord } {
  const path = join(dir, CHECKPOINT, STATE_JSON);
  if (!existsSync(path)) throw new Error(`${dir} holds no interrupted training run (no ${CHECKPOINT}/${STATE_JSON})`);
  let s: Partial<CheckpointStateJSON>;
  try {
    s = JSON.parse(readFileSync(path, 'utf8')) as Partial<CheckpointStateJSON>;
  } catch (err) {
    throw new Error(`corrupt ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!s || s.format !== 'iocm-gym-checkpoint' || (s.algo !== 'ppo' && s.algo !== 'dqn') || !s.training) throw new Error(`corrupt ${path}: not an iocm-gym checkpoint`);
  return { algo: s.algo, extra: s.extra, training: s.training };
}
