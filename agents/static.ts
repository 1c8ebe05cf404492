/**
 * `static:<x>` — always asks for the same target I/O-core count x; `baseline` is `static:0` (no side
 * cores: every guest handles its own I/O).
 *
 * Action mode: **absolute**. The action is the target number of I/O cores, 0 … maxIoCores, as in the
 * SideCore env's `absolute` action mode (the one the `iocm` agent also uses). Run the env in that mode:
 * under the default {no-op, add, remove} mode the number x would be read as one of those three actions.
 * The agent does not look at the observation or at `info.actionMask`; whether x is reachable is the env's
 * business (the spec parser checks x against the env's action space when it is given one).
 */
import type { Agent } from './agent.js';

export class StaticAgent implements Agent<unknown, number> {
  readonly spec: string;
  /** Runners build the SideCore env in this mode for this agent. */
  readonly actionMode = 'absolute' as const;

  constructor(readonly target: number, spec?: string) {
    if (!Number.isSafeInteger(target) || target < 0) throw new Error(`static: the target I/O-core count must be a non-negative integer, got ${target}`);
    this.spec = spec ?? `static:${target}`;
  }

  act(): number {
    return this.target;
  }

  describe(): Record<string, unknown> {
    return { agent: 'static', spec: this.spec, target: this.target, actionMode: 'absolute' };
  }
}
