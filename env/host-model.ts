/**
 * What the SideCore environment needs of a host model. Both fidelity tiers implement it: `HostSim`
 * (`env/sim`, the detailed discrete-event simulator) and `FluidHost` (`env/fluid`, the fast per-epoch
 * model of the same host). Everything the env shows an agent comes from `readEpoch()`, so the two tiers
 * are interchangeable behind one API, and the agreement test compares exactly these readings.
 */
import type { EpochCounters, EpochMetrics } from './sim/counters.js';
import { DEFAULT_COSTS, type Costs } from './sim/costs.js';
import { isScenario, loadScenario, type Scenario } from './scenarios/scenario.js';

/** Cycle accounts of a window by owner (`EpochMetrics.cycles`), in this order, in both tiers. */
export const CYCLE_CATEGORIES = ['vmGuest', 'vmExit', 'vmContextSwitch', 'ioVhost', 'ioContextSwitch', 'ioWorkerWork', 'ioWorkerPoll', 'idle'] as const;

/** How either tier builds a host model of a scenario. */
export interface HostOptions {
  seed: number;
  /** Initial I/O cores (0 = baseline). */
  ioCores: number;
  /** Host overrides (else the scenario's). */
  cores?: number;
  ghz?: number;
  exitlessInterrupts?: boolean;
  /** Cost-table overrides. */
  costs?: Partial<Costs>;
  /** Who sets the I/O-core count (`ReconfigManager`); default 'none' (a static configuration). */
  manager?: ReconfigManager;
}

/**
 * The I/O-core manager the host runs (docs/model.md §9): 'none' (no manager process: a static
 * configuration), 'ideal' (a manager process sampling every counter on core 0 that moves only the
 * devices whose worker changes) or 'iocm' (the same process, re-mapping every device on every change as
 * IOcm's balancer does).
 */
export type ReconfigManager = 'none' | 'ideal' | 'iocm';

/** What reconfiguration cost in a window: changes, Σ device suspension (ns) and the manager's CPU (ns). */
export interface ReconfigReading {
  reconfigurations: number;
  stallNs: number;
  managerCpuNs: number;
}

/** Counters and metrics of one window (an epoch), and the scenario phase at its end. */
export interface HostReading {
  counters: EpochCounters;
  metrics: EpochMetrics;
  phase: number;
  /** Reconfiguration costs of the window (both tiers fill it). */
  reconfig?: ReconfigReading;
}

export interface HostModel {
  readonly scenario: Scenario;
  /** Simulated time since the start, ns. */
  readonly nowNs: number;
  /** Current I/O cores (0 = baseline). */
  readonly ioCores: number;
  /** Runs the host for `dtNs` more nanoseconds. */
  advance(dtNs: number): void;
  /** Reconfigures to `x` I/O cores at the current time, with the mechanism's costs and transients. */
  setIoCores(x: number): void;
  /** Counters and metrics since the previous call. */
  readEpoch(): HostReading;
  /** An exact snapshot (structured-clone-able); a restored model has a bit-identical future. */
  getState(): unknown;
  setState(state: unknown): void;
  /**
   * Optional: returns the model to the state of a new model of the same scenario built with `opts`,
   * bit for bit (the env's reset uses it instead of building the model again).
   */
  restart?(opts: HostModelOptions): void;
}

export type Fidelity = 'fast' | 'detailed';

/** How a host model is built: the scenario (already validated), the seed and the initial I/O cores. */
export interface HostModelOptions {
  seed: number;
  ioCores: number;
  manager?: ReconfigManager;
}

/** The host either tier simulates: the scenario's host with the options' overrides, checked. */
export interface ResolvedHost {
  scenario: Scenario;
  costs: Readonly<Costs>;
  nCores: number;
  ghz: number;
  exitless: boolean;
  /** The most I/O cores: the scenario's bound, and at least one VM core left. */
  maxIo: number;
  /** Idle vCPUs spin (`guestIdle: 'poll'`) instead of halting. */
  idlePoll: boolean;
}

export function resolveHost(scenario: Scenario | string | object, opts: HostOptions): ResolvedHost {
  const sc = isScenario(scenario) ? scenario : loadScenario(scenario);
  const nCores = opts.cores ?? sc.host.cores;
  if (!Number.isInteger(nCores) || nCores < 2 || nCores > 64) throw new RangeError(`cores must be an integer in [2, 64], got ${nCores}`);
  return {
    scenario: sc,
    costs: Object.freeze({ ...DEFAULT_COSTS, ...(opts.costs ?? {}) }),
    nCores,
    ghz: opts.ghz ?? sc.host.ghz,
    exitless: opts.exitlessInterrupts ?? sc.host.exitlessInterrupts,
    maxIo: Math.min(sc.host.maxIoCores, nCores - 1),
    idlePoll: sc.host.guestIdle === 'poll',
  };
}
