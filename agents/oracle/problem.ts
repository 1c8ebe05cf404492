/**
 * What the oracle searches: one episode of a phased environment (the SideCore env, or any env with the
 * same surface), from one seed, where an action *is* a configuration (the SideCore env in its
 * `absolute` action mode: the action is the target I/O-core count). The episode is cut into phases at
 * `phaseStarts` (step indices); a schedule assigns one configuration to each phase, and its action log
 * repeats that configuration on every step of the phase, so a switch happens on the first step of a
 * phase and pays the env's own reconfiguration costs.
 *
 * Everything here is plain data (structured-clone-able), so a problem can be sent to worker threads.
 */
import { EnvSpec, make, type EnvSpecJSON } from '../../env/core/registry.js';
import type { Env } from '../../env/core/env.js';
import { Discrete } from '../../env/core/spaces/discrete.js';

export interface OracleProblem {
  /** The env, in a mode where actions are configurations (SideCore: `actionMode: 'absolute'`). */
  envSpec: EnvSpecJSON;
  seed: number;
  /** The configurations tried in each phase (action values), in ascending order. */
  configs: number[];
  /** Step index at which each phase starts; the first is 0, strictly increasing, all < horizon. */
  phaseStarts: number[];
  /** Phase names, for reports. */
  phaseNames: string[];
  /** Steps in the episode. */
  horizon: number;
  /** Modules (URLs) a worker imports before building the env, so that its id is registered. */
  envModules: string[];
}

/** The surface of a phased env (`SideCoreEnv` has it; so does the test suite's toy env). */
export interface PhasedEnv {
  phaseStartSteps(): number[];
  readonly episodeSteps: number;
  readonly minIoCores?: number;
  readonly maxIoCores?: number;
  readonly actionMode?: string;
  readonly scenario?: { phases: { name?: string }[] };
}

export function isPhasedEnv(e: unknown): e is PhasedEnv {
  const x = e as Partial<PhasedEnv> | null;
  return typeof x === 'object' && x !== null && typeof x.phaseStartSteps === 'function' && typeof x.episodeSteps === 'number';
}

/** Builds an env from its spec JSON (the env checker is skipped: it does not change any reward). */
export function buildEnv(envSpec: EnvSpecJSON): Env<unknown, number> {
  return make<unknown, number>(EnvSpec.fromJSON(envSpec), {}, { disableEnvChecker: true });
}

/**
 * The oracle problem of an env spec and a seed: switches the spec to the `absolute` action mode when
 * the env has one, and reads the phases, the horizon and the configuration range from the env.
 */
export function oracleProblem(envSpec: EnvSpecJSON, seed: number, envModules: string[] = []): OracleProblem {
  let spec = envSpec;
  let env = buildEnv(spec);
  const mode = (env.unwrapped as { actionMode?: unknown }).actionMode;
  if (typeof mode === 'string' && mode !== 'absolute') {
    env.close();
    spec = { ...envSpec, kwargs: { ...envSpec.kwargs, actionMode: 'absolute' } };
    env = buildEnv(spec);
  }
  try {
    const u = env.unwrapped;
    if (!isPhasedEnv(u)) throw new Error(`oracle: ${envSpec.id} has no phases (phaseStartSteps/episodeSteps); the oracle searches phased envs such as SideCore-v1`);
    if (u.actionMode !== undefined && u.actionMode !== 'absolute') throw new Error(`oracle: ${envSpec.id} must run in the absolute action mode`);
    const space = env.actionSpace;
    if (!(space instanceof Discrete)) throw new Error(`oracle: ${envSpec.id} needs a Discrete action space`);
    const lo = u.minIoCores ?? space.start;
    const hi = u.maxIoCores ?? space.start + space.n - 1;
    const configs: number[] = [];
    for (let c = lo; c <= hi; c++) configs.push(c);
    const horizon = spec.maxEpisodeSteps !== null ? Math.min(u.episodeSteps, spec.maxEpisodeSteps) : u.episodeSteps;
    // Phases shorter than an epoch round to the same start (or past the end): keep the first of each.
    const starts: number[] = [];
    const names: string[] = [];
    u.phaseStartSteps().forEach((s, i) => {
      if (s >= horizon || (starts.length > 0 && s <= starts[starts.length - 1]!)) return;
      starts.push(starts.length === 0 ? 0 : s);
      names.push(u.scenario?.phases[i]?.name ?? `phase${i}`);
    });
    return { envSpec: spec, seed, configs, phaseStarts: starts, phaseNames: names, horizon, envModules };
  } finally {
    env.close();
  }
}

/** The step range [start, end) of phase p. */
export function phaseRange(pr: OracleProblem, p: number): [number, number] {
  return [pr.phaseStarts[p]!, pr.phaseStarts[p + 1] ?? pr.horizon];
}

/** The action log of a schedule (one configuration per phase). */
export function scheduleActions(pr: OracleProblem, schedule: readonly number[]): number[] {
  const out: number[] = [];
  for (let p = 0; p < pr.phaseStarts.length; p++) {
    const [a, b] = phaseRange(pr, p);
    for (let t = a; t < b; t++) out.push(schedule[p]!);
  }
  return out;
}
