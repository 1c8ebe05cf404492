/**
 * What PPO and DQN share outside the algorithm itself: where their envs come from, and the saved-model
 * directory format.
 *
 * A saved model directory holds one sub-directory of tfjs model files per network (`model.json` +
 * `weights.bin`, see `fs-io.ts`) and `agent.json`: the algorithm, its `Args`, the EnvSpec JSON of the env
 * it was trained on (`env.spec.toJSON()`), the observation and action spaces (JSON) and their flat
 * shapes, the tfjs backend and version, the number of env steps trained, and what the last training run
 * did (`training`: steps, updates, gradient steps, complete or not). `readAgentJson` checks all of it
 * and `loadNetwork` each network (shapes, finite weights); both name the problem in one line.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import '../../env/index.js'; // registers the env ids that env specs name
import { fileSystemHandler } from './fs-io.js';
import type { Env } from '../../env/core/env.js';
import { EnvSpec, make, type EnvSpecJSON } from '../../env/core/registry.js';
import { spaceFromJSON, type Space, type SpaceJSON } from '../../env/core/spaces/index.js';

/** Where a learner gets its envs: a registered id, an EnvSpec, or a factory of fresh envs. */
export type EnvSource = string | EnvSpec | (() => Env<unknown, unknown>);

export function envFactory(src: EnvSource): () => Env<unknown, unknown> {
  if (typeof src === 'string') return () => make(src);
  if (src instanceof EnvSpec) return () => make(src);
  return src;
}

export const AGENT_JSON = 'agent.json';

/** What a training run actually did, recorded in agent.json next to the Args it was given. */
export interface TrainingRecord {
  /** Env steps the run was asked for (`learn(totalTimesteps)`). */
  requestedSteps: number;
  /** Env steps it took. */
  steps: number;
  /** Policy updates: PPO iterations (one rollout, K epochs each) or DQN gradient steps. */
  updates: number;
  /** Optimizer steps (PPO: minibatch steps; DQN: gradient steps). */
  gradientSteps: number;
  /** False while a run is in progress or was interrupted (a checkpoint). */
  complete: boolean;
}
export const AGENT_FORMAT = 'iocm-gym-agent';

export interface SavedAgentJSON {
  format: typeof AGENT_FORMAT;
  formatVersion: 1;
  algo: 'ppo' | 'dqn';
  args: Record<string, unknown>;
  envSpec: EnvSpecJSON | null;
  observationSpace: SpaceJSON;
  actionSpace: SpaceJSON;
  /** Flat observation shape the networks take ([flatdim]). */
  obsShape: number[];
  /** Number of discrete actions the networks output. */
  nActions: number;
  backend: string;
  tfjsVersion: string;
  /** Env steps trained. */
  globalStep: number;
  /** What the last training run did (absent in models saved before it was recorded). */
  training?: TrainingRecord;
  savedAt: string;
  /** Network name → sub-directory with its tfjs model files. */
  models: Record<string, string>;
}

export function writeAgentJson(dir: string, j: SavedAgentJSON): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, AGENT_JSON), JSON.stringify(j, null, 2) + '\n');
}

/** Reads and checks `dir/agent.json`; every failure is one line naming the directory and the problem. */
export function readAgentJson(dir: string, algo: 'ppo' | 'dqn'): SavedAgentJSON & { obsSpace: Space<unknown>; actSpace: Space<unknown> } {
  if (!existsSync(dir)) throw new Error(`model directory ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new Error(`model directory ${dir} is not a directory`);
  const path = join(dir, AGENT_JSON);
  if (!existsSync(path)) throw new Error(`${dir} is not a saved model directory: no ${AGENT_JSON}`);
  let j: SavedAgentJSON;
  try {
    j = JSON.parse(readFileSync(path, 'utf8')) as SavedAgentJSON;
  } catch (err) {
    throw new Error(`corrupt ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!j || typeof j !== 'object' || j.format !== AGENT_FORMAT) throw new Error(`corrupt ${path}: not an ${AGENT_FORMAT} file`);
  if (j.formatVersion !== 1) throw new Error(`${path}: unsupported format version ${JSON.stringify(j.formatVersion)}`);
  if (j.algo !== algo) throw new Error(`${dir} holds a ${String(j.algo)} model, not ${algo}`);
  const n = j.nActions, shape = j.obsShape;
  if (!Number.isInteger(n) || n <= 0 || !Array.isArray(shape) || shape.length !== 1 || !Number.isInteger(shape[0]) || shape[0]! <= 0) {
    throw new Error(`corrupt ${path}: bad obsShape/nActions`);
  }
  if (!j.args || typeof j.args !== 'object' || !j.models || typeof j.models !== 'object') throw new Error(`corrupt ${path}: missing args or models`);
  let obsSpace: Space<unknown>, actSpace: Space<unknown>;
  try {
    obsSpace = spaceFromJSON(j.observationSpace);
    actSpace = spaceFromJSON(j.actionSpace);
  } catch (err) {
    throw new Error(`corrupt ${path}: ${(err as Error).message}`);
  }
  if (obsSpace.flatdim !== shape[0]) throw new Error(`corrupt ${path}: observation space flattens to ${obsSpace.flatdim}, obsShape says ${shape[0]}`);
  return { ...j, obsSpace, actSpace };
}

/**
 * Checks that a model fits an env: same flat observation size and number of actions. Throws one line
 * naming both shapes.
 */
export function checkModelFitsEnv(
  saved: { obsShape: number[]; nActions: number; envSpec: EnvSpecJSON | null },
  env: { observationSpace: Space<unknown>; actionSpace: Space<unknown> },
  who: string,
): void {
  const obs = env.observationSpace.flatdim;
  const act = env.actionSpace;
  const nAct = 'n' in act && typeof (act as { n: unknown }).n === 'number' ? (act as { n: number }).n : NaN;
  if (obs !== saved.obsShape[0] || nAct !== saved.nActions) {
    throw new Error(`${who} was trained for observations of size ${saved.obsShape[0]} and ${saved.nActions} actions${saved.envSpec ? ` (${saved.envSpec.id})` : ''}, but this env has observations of size ${obs} and ${act.toString()}`);
  }
}

/**
 * Loads the tfjs network `dir/name` and checks it: a Sequential model with `inputSize` inputs,
 * `outputSize` outputs (and `layers` dense layers when given), and only finite weights (a model that
 * diverged to NaN would otherwise load and act as if all its logits were equal). One-line errors.
 */
export async function loadNetwork(dir: string, name: string, inputSize: number, outputSize: number, layers?: number): Promise<tf.Sequential> {
  let m: tf.LayersModel;
  try {
    m = await tf.loadLayersModel(fileSystemHandler(`${dir}/${name}`));
  } catch (err) {
    throw new Error(`cannot load the ${name} network of ${dir}: ${(err as Error).message.split('\n')[0]}`);
  }
  const inShape = m.inputs[0]?.shape, outShape = m.outputs[0]?.shape;
  if (!(m instanceof tf.Sequential) || inShape?.[1] !== inputSize || outShape?.[1] !== outputSize || (layers !== undefined && m.layers.length !== layers)) {
    m.dispose();
    throw new Error(`corrupt ${name} network in ${dir}: shape ${JSON.stringify(inShape)} → ${JSON.stringify(outShape)}, agent.json says [null,${inputSize}] → [null,${outputSize}]`);
  }
  for (const w of m.weights) {
    const v = w.read().dataSync();
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i]!)) {
        m.dispose();
        throw new Error(`corrupt ${name} network in ${dir}: weight ${w.name} holds ${v[i]} (non-finite weights; the training diverged or the file is damaged)`);
      }
    }
  }
  return m;
}
