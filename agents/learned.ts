/**
 * `ppo:<model dir>` and `dqn:<model dir>` as {@link Agent}s: a saved PPO or DQN model acting greedily
 * (argmax of the masked logits / Q-values) through its plain forward pass. Loading checks the directory
 * (`agent.json`, the tfjs model files) and, when the env is known, that the model was trained for the
 * same flat observation size and number of actions; every failure is one line naming the problem.
 */
import type { Info } from '../env/core/env.js';
import type { Space } from '../env/core/spaces/index.js';
import type { Agent } from './agent.js';
import { DQN } from './dqn.js';
import { backendInfo } from './nn/backend.js';
import { checkModelFitsEnv } from './nn/saved.js';
import { PPO } from './ppo.js';

export type LearnedAlgo = 'ppo' | 'dqn';

export class LearnedAgent implements Agent<unknown, number> {
  /** The action mode of the env the model was trained on (its EnvSpec kwargs), when it has one. */
  readonly actionMode?: 'delta' | 'absolute';

  constructor(readonly model: PPO | DQN, readonly algo: LearnedAlgo, readonly modelDir: string, readonly spec: string) {
    const m = model.envSpec?.kwargs.actionMode;
    if (m === 'delta' || m === 'absolute') this.actionMode = m;
  }

  act(obs: unknown, info: Info): number {
    return this.model.predict(obs, info, true);
  }

  describe(): Record<string, unknown> {
    return {
      agent: this.algo, spec: this.spec, modelDir: this.modelDir, ...backendInfo(),
      trainedSteps: this.model.globalStep, trainedOn: this.model.envSpec, args: this.model.args,
    };
  }

  /** Frees the model's tensors. */
  dispose(): void {
    this.model.dispose();
  }
}

export interface LoadLearnedOptions {
  /** The spaces of the env the agent will act in: checked against the model's. */
  env?: { observationSpace: Space<unknown>; actionSpace: Space<unknown> };
  /** tfjs backend (default: the one recorded in the model's Args, normally wasm). */
  backend?: string;
  /** The spec string to report (default `<algo>:<dir>`). */
  spec?: string;
}

export async function loadLearnedAgent(algo: LearnedAlgo, dir: string, opts: LoadLearnedOptions = {}): Promise<LearnedAgent> {
  const loadOpts = opts.backend ? { backend: opts.backend } : {};
  const model = algo === 'ppo' ? await PPO.load(dir, loadOpts) : await DQN.load(dir, loadOpts);
  if (opts.env) {
    try {
      checkModelFitsEnv({ obsShape: [model.obsSize], nActions: model.nActions, envSpec: model.envSpec }, opts.env, `the ${algo.toUpperCase()} model in ${dir}`);
    } catch (err) {
      model.dispose();
      throw err;
    }
  }
  return new LearnedAgent(model, algo, dir, opts.spec ?? `${algo}:${dir}`);
}
