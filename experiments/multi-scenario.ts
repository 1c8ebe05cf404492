/**
 * Training on many scenarios: an env that runs a different scenario in every episode.
 *
 * `PPO`/`DQN` build their envs once (the vector env's sub-envs keep their env across autoresets), so a
 * factory that hands out one scenario per call trains on only as many scenarios as there are sub-envs.
 * `MultiScenarioEnv` instead holds one env per scenario (built on first use) and, at every reset, draws
 * the scenario of the next episode uniformly from its `npRandom`: seeded by `reset({seed})`, so the
 * sequence of scenarios is deterministic; each inner reset gets a seed drawn from the same stream.
 *
 * Every scenario's env must have the same observation and action spaces (SideCore-v1 with the same
 * `maxIoCores`, `history` and `actionMode`; the host's core count enters the observation bounds). Its
 * `spec` is the first scenario's (so a saved model records the env id and kwargs, `actionMode` and
 * `history` included); `info.scenario` names the episode's scenario.
 */
import '../env/index.js';
import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../env/core/env.js';
import { EnvSpec, make, type EnvSpecJSON } from '../env/core/registry.js';
import type { Space } from '../env/core/spaces/index.js';

export class MultiScenarioEnv extends Env<unknown, unknown> {
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
  private readonly envs: (Env<unknown, unknown> | undefined)[];
  private current: Env<unknown, unknown> | undefined;
  private currentIndex = -1;

  /** `onEpisodeEnd` is called with the scenario's name when an episode ends (terminated or truncated). */
  constructor(readonly specs: readonly EnvSpecJSON[], private readonly onEpisodeEnd?: (scenario: string) => void) {
    super();
    if (specs.length === 0) throw new Error('MultiScenarioEnv: no env specs');
    this.envs = new Array<Env<unknown, unknown> | undefined>(specs.length).fill(undefined);
    const first = this.envAt(0);
    this.observationSpace = first.observationSpace;
    this.actionSpace = first.actionSpace;
    this.metadata = first.metadata;
    this.spec = first.spec;
  }

  private envAt(i: number): Env<unknown, unknown> {
    let e = this.envs[i];
    if (!e) {
      e = make(EnvSpec.fromJSON(this.specs[i]!));
      if (this.observationSpace && (!e.observationSpace.equals(this.observationSpace) || !e.actionSpace.equals(this.actionSpace))) {
        const name = String(this.specs[i]!.kwargs.scenario ?? i);
        e.close();
        throw new Error(`MultiScenarioEnv: scenario ${name} has spaces ${e.observationSpace.toString()} / ${e.actionSpace.toString()}, the first has ${this.observationSpace.toString()} / ${this.actionSpace.toString()}`);
      }
      this.envs[i] = e;
    }
    return e;
  }

  /** The scenario of the current episode (its index in `specs`), −1 before the first reset. */
  get scenarioIndex(): number {
    return this.currentIndex;
  }

  override reset(args: ResetArgs = {}): ResetResult<unknown> {
    this.seedReset(args.seed);
    this.currentIndex = this.npRandom.integers(0, this.specs.length);
    this.current = this.envAt(this.currentIndex);
    const r = this.current.reset({ seed: this.npRandom.integers(0, 2 ** 31), ...(args.options ? { options: args.options } : {}) });
    return { obs: r.obs, info: this.withScenario(r.info) };
  }

  override step(action: unknown): StepResult<unknown> {
    if (!this.current) throw new Error('MultiScenarioEnv: call reset() before step()');
    const r = this.current.step(action);
    if ((r.terminated || r.truncated) && this.onEpisodeEnd) this.onEpisodeEnd(String(this.specs[this.currentIndex]!.kwargs.scenario));
    return { ...r, info: this.withScenario(r.info) };
  }

  private withScenario(info: Info): Info {
    return { ...info, scenario: this.specs[this.currentIndex]!.kwargs.scenario };
  }

  override close(): void {
    for (const e of this.envs) e?.close();
  }
}

/**
 * An env source for PPO/DQN: one spec → that env's spec; several → a factory of fresh
 * `MultiScenarioEnv`s (with `onEpisodeEnd`, if given).
 */
export function multiScenarioSource(specs: readonly EnvSpecJSON[], onEpisodeEnd?: (scenario: string) => void): EnvSpec | (() => Env<unknown, unknown>) {
  if (specs.length === 1) return EnvSpec.fromJSON(specs[0]!);
  return () => new MultiScenarioEnv(specs, onEpisodeEnd);
}
