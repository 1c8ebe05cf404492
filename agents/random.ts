/**
 * `random` — a uniformly random valid action every step: uniform over the Discrete action space, or over
 * the actions `info.actionMask` allows (a 0/1 array, one entry per action) when the info carries one.
 *
 * Seeded and deterministic: its own PCG64 stream, from the seed it was made with (default 0); `reset(seed)`
 * with a seed re-seeds it, so an episode run with a given env seed always gets the same actions.
 */
import type { Info } from '../env/core/env.js';
import { Rng } from '../env/core/rng.js';
import { Discrete, type Space } from '../env/core/spaces/index.js';
import type { Agent } from './agent.js';
import { actionMaskOf, uniformAllowed } from './nn/policy-io.js';

export class RandomAgent implements Agent<unknown, number> {
  readonly spec: string;
  private rng: Rng;
  private readonly n: number | undefined;
  private readonly start: number;

  /**
   * `actionSpace`: the env's (Discrete) action space. Without it the agent needs `info.actionMask` to
   * know the number of actions (it then draws from 0 … mask.length − 1).
   */
  constructor(opts: { seed?: number; actionSpace?: Space<unknown> } = {}, spec = 'random') {
    const s = opts.actionSpace;
    if (s !== undefined && !(s instanceof Discrete)) throw new Error(`random: needs a Discrete action space, got ${s.toString()}`);
    this.n = s?.n;
    this.start = s?.start ?? 0;
    this.seed = opts.seed ?? 0;
    this.rng = Rng.fromSeed(this.seed);
    this.spec = spec;
  }

  /** The seed of the current stream. */
  seed: number;

  reset(seed?: number): void {
    if (seed !== undefined) {
      this.seed = seed;
      this.rng = Rng.fromSeed(seed);
    }
  }

  act(_obs: unknown, info: Info): number {
    const raw = info?.actionMask as ArrayLike<number> | undefined;
    const n = this.n ?? raw?.length;
    if (n === undefined) throw new Error('random: needs the env\'s action space or an info.actionMask to know the actions');
    const mask = actionMaskOf(info, n);
    return this.start + uniformAllowed(this.rng, n, mask);
  }

  describe(): Record<string, unknown> {
    return { agent: 'random', spec: this.spec, seed: this.seed };
  }
}
