/**
 * The one interface every I/O-core manager implements (heuristic, static, random, learned, oracle
 * replays). Agents see the environment only through what `reset`/`step` return: the observation and
 * the `info` record (for the SideCore env, `info.counters` holds the raw IOcm counters of the epoch).
 */
import type { Info } from '../env/core/env.js';

/** One environment transition, handed to learning agents after each step. */
export interface Transition<O, A> {
  obs: O;
  action: A;
  reward: number;
  nextObs: O;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

export interface Agent<O = unknown, A = number> {
  /** The spec string this agent was made from (`iocm`, `static:2`, `ppo:results/models/ppo`, ...). */
  readonly spec: string;
  /**
   * The SideCore action mode the agent's actions are meant for (`delta`: no-op/add/remove; `absolute`:
   * the target I/O-core count). Runners build the env accordingly; absent means `delta`.
   */
  readonly actionMode?: 'delta' | 'absolute';
  /** Called at the start of every episode, with the episode's seed when there is one. */
  reset?(seed?: number): void;
  /** Chooses the action for the current observation. */
  act(obs: O, info: Info): A;
  /** Learning agents receive every transition; the others may ignore it. */
  observe?(t: Transition<O, A>): void;
  /** Parameters and provenance to record next to results (backend, model path, hyper-parameters). */
  describe?(): Record<string, unknown>;
}
