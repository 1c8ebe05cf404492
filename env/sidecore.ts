/**
 * SideCore-v1: manage the I/O cores of a virtualization host that does paravirtual I/O with side-cores.
 *
 * ## Description
 * A host (default 8 cores at 2.2 GHz, 7 single-vCPU VMs, one 10 GbE NIC) runs the workloads of a
 * scenario, phase after phase (`env/scenarios/`). Its cores are split into an I/O set (cores 0..x−1,
 * each running one pinned vhost worker that polls the virtqueues of many VMs) and a VM set; with x = 0
 * the host runs the baseline (one vhost thread per device, scheduled with the vCPUs, kicks and
 * interrupts cost VM exits). Every epoch (100 ms) the agent may move one core between the sets, like
 * the IOcm manager does: each I/O core makes I/O cheaper and faster but takes CPU from the VMs, and the
 * best x changes with the workload. Moves cost something (devices are suspended while transferred
 * between workers, workers are created, vCPUs migrate), so the throughput dip after a move is visible.
 * The host is simulated by one of two tiers with one API: `fast` (the default, a per-epoch analytic model,
 * `env/fluid`) or `detailed` (a discrete-event simulation, `env/sim`); see docs/model.md.
 *
 * ## Action Space
 * `actionMode: 'delta'` (default): `Discrete(3)`: 0 no-op, 1 add one I/O core (from the baseline it
 * starts side-core mode with one core), 2 remove one (from one core it returns to the baseline).
 * `actionMode: 'absolute'`: `Discrete(maxIoCores + 1)`: the target number of I/O cores, reached at once
 * (what the IOcm agent needs for its jump from the baseline to k cores).
 * Infeasible actions are masked (`info.actionMask`, also the last entries of the observation); taking a
 * masked action is an error. With `minDwellEpochs` n > 0, every change of the I/O-core count masks all
 * further changes for the next n steps (only no-op, or the current count, stays feasible), a minimum
 * dwell time between switches.
 *
 * ## Observation Space
 * `Box(float32)`: `history` frames of the 8 statistics IOcm computes each epoch (empty, effective and
 * overall I/O ratios, VM idle cores, KiB per packet, bytes per cycle, I/O cores, side-core mode; see
 * `env/sidecore/observation.ts`), oldest first, then the action mask. The raw counters the IOcm manager
 * reads are in `info.counters`.
 *
 * ## Rewards
 * `reward: 'app'` (default): the mean over active VMs of each VM's application metric divided by its
 * ideal value (Gbit/s for streams, transactions/s for request/response, memcached and apache, guest
 * compute for CPU-bound VMs), so workloads add up and rewards lie in [0, 1] (`env/sidecore/reward.ts`;
 * the fast tier's noise, σ 0.11 % on throughput, can lift an epoch at the ideal slightly above 1).
 * `'bpc'`: IOcm's bytes per cycle. `'app-latency'`: `app` minus `sloPenalty` × max(0, p99 / `sloUs` − 1).
 * Whatever the kind, `switchPenalty` (default 0) is subtracted on every step that changes the I/O-core
 * count, so an agent pays for switching beyond the modelled transient (`env/sidecore/reward.ts`).
 *
 * ## Starting State
 * The scenario's start with `initialIoCores` I/O cores (default 0, the baseline, where IOcm starts).
 * The reset observation has zero statistics (no epoch has been observed yet) and no `info.counters`.
 *
 * ## Episode End
 * Never terminated (the host has no terminal state); truncated when the scenario ends, after
 * round(duration / epoch) steps. A step after that warns once and runs the last phase on.
 *
 * ## Arguments
 * `make('SideCore-v1', { scenario: 'paper', fidelity: 'fast' | 'detailed', noise: true, actionMode: 'delta' |
 * 'absolute', reward: 'app' | 'bpc' | 'app-latency', epochMs: 100, cores: <scenario's>, exitless: <scenario's>,
 * maxIoCores: min(4, cores − 1), history: 1, initialIoCores: 0, sloUs: 500, sloPenalty: 1, switchPenalty: 0,
 * minDwellEpochs: 0, manager: 'iocm', renderMode: 'ansi' })`.
 * `scenario` is a shipped name, a path to a JSON file or a scenario object. `cores` (an integer in
 * [2, 64]) and `exitless` (exitless interrupts on or off, docs/model.md) override the scenario's host for
 * ablations; absent, the scenario's own values apply. `maxIoCores` then defaults from the overridden count
 * (4 on a 16-core host). `manager` is who reconfigures
 * the host (docs/model.md §9): 'iocm' (IOcm's manager process on core 0, re-mapping every device on
 * every change), 'ideal' (moves only the devices whose worker changes) or 'none' (no manager CPU).
 * `costs` (optional) overrides numeric entries of the cost table (`env/sim/costs.ts`, `iocm-gym costs`).
 *
 * ## Info
 * `counters` (EpochCounters), `metrics` (EpochMetrics), `phase` (the phase holding the epoch's
 * midpoint), `phaseName`, `ioCores`, `maxIoCores`,
 * `actionMask`, `epoch` (steps taken), `timeS` (simulated seconds at the end of the epoch),
 * `reconfigured` (whether this step changed the I/O cores), `reconfig` (what reconfiguring cost in the
 * epoch: `reconfigurations`, `stallNs` = Σ device suspension, `managerCpuNs`).
 *
 * ## Version History
 * * v1: IOcm's counters count bytes and packets as vhost does (virtio-net header + whole frame); the
 *   reconfiguration costs of a real manager (`manager`, default 'iocm'); the fast tier's epoch-to-epoch
 *   noise (`noise`, default on); idle cores pay their C-state's exit latency on wake-up; scenarios may
 *   say how idle guests idle (`guestIdle`); `maxIoCores` defaults to min(4, cores − 1); `cores` and
 *   `exitless` override the scenario's host (absent: unchanged).
 * * v0: initial version (retired: its dynamics are not kept).
 */
import { z } from 'zod';
import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from './core/env.js';
import { Rng, type RngState } from './core/rng.js';
import { Box } from './core/spaces/box.js';
import { Discrete } from './core/spaces/discrete.js';
import type { Fidelity, HostModel, ReconfigManager } from './host-model.js';
import { createHost } from './sidecore/hosts.js';
import { isScalarCost } from './sim/cost-sources.js';
import type { Costs } from './sim/costs.js';
import { warn } from './core/logger.js';
import { FRAME_SIZE, frameHigh, writeFrame } from './sidecore/observation.js';
import { renderDashboard } from './sidecore/render.js';
import { computeReward, idealPerformance, withSwitchPenalty, type RewardKind } from './sidecore/reward.js';
import type { EpochCounters, EpochMetrics } from './sim/counters.js';
import { loadScenario, phaseAt, phaseEnds, type Scenario } from './scenarios/scenario.js';

export const sideCoreKwargs = z
  .object({
    scenario: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).default('paper'),
    fidelity: z.enum(['fast', 'detailed']).default('fast'),
    // the fast tier's epoch-to-epoch noise (docs/fluid.md §9); false: its exact, noise-free model
    noise: z.boolean().default(true),
    actionMode: z.enum(['delta', 'absolute']).default('delta'),
    reward: z.enum(['app', 'bpc', 'app-latency']).default('app'),
    epochMs: z.number().positive().max(10_000).default(100),
    // Host ablations: override the scenario's host (its core count; exitless interrupts on or off).
    // Absent: the scenario's values, so the default dynamics are unchanged.
    cores: z.number().int().min(2).max(64).optional(),
    exitless: z.boolean().optional(),
    // default min(4, cores − 1): IOcm's own maximum, and one VM core left on small hosts
    maxIoCores: z.number().int().min(1).max(63).optional(),
    history: z.number().int().min(1).max(64).default(1),
    initialIoCores: z.number().int().min(0).default(0),
    sloUs: z.number().positive().default(500),
    sloPenalty: z.number().nonnegative().default(1),
    // Switching priced by the caller (0 = only the modelled transient) and a minimum dwell time between
    // switches; both default to off, which leaves the dynamics of earlier versions bit-identical.
    switchPenalty: z.number().nonnegative().max(1_000).default(0),
    minDwellEpochs: z.number().int().nonnegative().max(100_000).default(0),
    // Who reconfigures the host (docs/model.md §9): IOcm's manager process with the agent as its policy
    // (it samples every counter on core 0 and re-maps every device on every change), one that moves only
    // the devices whose worker changes, or none (no manager CPU; for static configurations).
    manager: z.enum(['iocm', 'ideal', 'none']).default('iocm'),
    // cost-table overrides (env/sim/costs.ts; numeric entries only); none: the defaults
    costs: z.record(z.string(), z.number().nonnegative()).refine((c) => Object.keys(c).every(isScalarCost), { message: 'costs: every key must be a numeric entry of the cost table (iocm-gym costs lists them)' }).optional(),
    renderMode: z.enum(['ansi']).optional(),
  })
  .strict();

export type SideCoreOptions = z.input<typeof sideCoreKwargs>;

/**
 * The scenario with the `cores` / `exitless` kwargs applied to its host (the scenario itself when both
 * are absent). The env's `maxIoCores` (default min(4, cores − 1)) follows from the overridden core count.
 */
function withHostOverrides(sc: Scenario, cores: number | undefined, exitless: boolean | undefined): Scenario {
  if (cores === undefined && exitless === undefined) return sc;
  const host = { ...sc.host };
  if (cores !== undefined) host.cores = cores;
  if (exitless !== undefined) host.exitlessInterrupts = exitless;
  return { ...sc, host };
}

export const DELTA_ACTIONS = ['no-op', 'add an I/O core', 'remove an I/O core'] as const;

/** A snapshot of the whole env: the host model, the env's RNG and the episode bookkeeping. */
export interface SideCoreState {
  host: unknown;
  rng: RngState;
  steps: number;
  frames: number[];
  lastInfo: Info | null;
  /** Steps during which changes stay masked (minDwellEpochs); absent in snapshots of earlier versions. */
  dwellLeft?: number;
}

/**
 * `state` as a SideCore snapshot, or a clear error: a snapshot restored into an env that is not built
 * like the one that took it (another wrapper stack, another history) would otherwise fail at the next
 * step with an error that does not name the cause. The host model checks its own part (tier, scenario).
 */
function checkSnapshot(state: unknown, history: number): SideCoreState {
  const where = 'SideCore.setState';
  if (typeof state !== 'object' || state === null) throw new Error(`${where}: expected the object getState() returns, got ${state === null ? 'null' : typeof state}`);
  const s = state as Partial<SideCoreState> & { inner?: unknown };
  if ('inner' in s) throw new Error(`${where}: this is the snapshot of a wrapped env ({inner, own}); restore it into an env wrapped the same way`);
  const missing = ['host', 'rng', 'steps', 'frames', 'lastInfo'].filter((k) => !(k in s));
  if (missing.length) throw new Error(`${where}: not a SideCore snapshot (no ${missing.join(', ')})`);
  if (!Array.isArray(s.frames) || s.frames.length % FRAME_SIZE !== 0) throw new Error(`${where}: not a SideCore snapshot (frames is not a whole number of observation frames)`);
  const h = s.frames.length / FRAME_SIZE;
  if (h !== history) throw new Error(`${where}: the snapshot keeps ${h} observation frame(s) (history ${h}); this env keeps ${history}: make the env with history: ${h}`);
  return s as SideCoreState;
}

export class SideCoreEnv extends Env<Float32Array, number> {
  readonly actionSpace: Discrete;
  readonly observationSpace: Box<'float32'>;
  readonly scenario: Scenario;
  readonly fidelity: Fidelity;
  /** Whether the fast tier's readings get noise (the detailed tier's variation is its own). */
  readonly noise: boolean;
  readonly actionMode: 'delta' | 'absolute';
  readonly maxIoCores: number;
  readonly minIoCores: number;
  readonly epochNs: number;
  readonly history: number;
  /** Steps in one episode (the scenario's duration in epochs). */
  readonly episodeSteps: number;
  private readonly rewardParams: { kind: RewardKind; sloUs: number; sloPenalty: number };
  private readonly ideal: Float64Array[];
  private readonly initialIoCores: number;
  readonly switchPenalty: number;
  readonly minDwellEpochs: number;
  readonly manager: ReconfigManager;
  /** Cost-table overrides of the host model (undefined: the defaults). */
  readonly costs: Partial<Costs> | undefined;
  /** Steps left during which a change of the I/O-core count is masked (after a change: minDwellEpochs). */
  private dwellLeft = 0;
  private host: HostModel | undefined;
  private steps = 0;
  /** Stacked statistics frames, oldest first. */
  private frames: Float32Array;
  private lastInfo: Info | null = null;

  constructor(options: SideCoreOptions = {}) {
    super();
    const parsed = sideCoreKwargs.parse(options);
    const loaded = withHostOverrides(loadScenario(parsed.scenario), parsed.cores, parsed.exitless);
    const o = { ...parsed, maxIoCores: parsed.maxIoCores ?? Math.max(1, Math.min(4, loaded.host.cores - 1)) };
    if (o.maxIoCores > loaded.host.cores - 1) {
      throw new Error(`SideCore: maxIoCores ${o.maxIoCores} leaves no VM core on a ${loaded.host.cores}-core host (at most ${loaded.host.cores - 1})`);
    }
    if (loaded.host.minIoCores > o.maxIoCores) throw new Error(`SideCore: the scenario's minIoCores ${loaded.host.minIoCores} exceeds maxIoCores ${o.maxIoCores}`);
    if (o.initialIoCores > o.maxIoCores) throw new Error(`SideCore: initialIoCores ${o.initialIoCores} exceeds maxIoCores ${o.maxIoCores}`);
    // The env's maxIoCores is the host's: the model refuses configurations beyond it.
    this.scenario = { ...loaded, host: { ...loaded.host, maxIoCores: o.maxIoCores } };
    this.fidelity = o.fidelity;
    if (!o.noise && o.fidelity !== 'fast') throw new Error('SideCore: noise: false applies to the fast tier only (the detailed tier\'s variation is part of its model)');
    this.noise = o.noise;
    this.actionMode = o.actionMode;
    this.maxIoCores = o.maxIoCores;
    this.minIoCores = loaded.host.minIoCores;
    this.initialIoCores = o.initialIoCores;
    this.switchPenalty = o.switchPenalty;
    this.minDwellEpochs = o.minDwellEpochs;
    this.manager = o.manager;
    this.costs = o.costs;
    this.epochNs = Math.round(o.epochMs * 1e6);
    // a phase shorter than an epoch would be rounded away (or stretched to a whole epoch) unseen
    for (const [i, p] of loaded.phases.entries()) {
      if (p.durationS * 1e9 < this.epochNs) throw new Error(`SideCore: phase ${i} (${p.name}) lasts ${p.durationS} s, less than one ${o.epochMs} ms epoch; make it at least ${o.epochMs / 1000} s`);
    }
    this.history = o.history;
    this.episodeSteps = Math.max(1, Math.round((this.scenario.durationS * 1e9) / this.epochNs));
    this.rewardParams = { kind: o.reward, sloUs: o.sloUs, sloPenalty: o.sloPenalty };
    this.ideal = idealPerformance(this.scenario);
    this.metadata = { renderModes: ['ansi'], renderFps: 10, autoresetMode: 'next_step' };
    this.renderMode = o.renderMode;
    this.actionSpace = new Discrete(this.actionMode === 'delta' ? 3 : this.maxIoCores + 1);
    const nMask = this.actionSpace.n;
    const fh = frameHigh(this.scenario.host.cores, this.scenario.vms.length, this.maxIoCores);
    const high: number[] = [];
    for (let h = 0; h < this.history; h++) high.push(...fh);
    for (let i = 0; i < nMask; i++) high.push(1);
    this.observationSpace = new Box(0, high, [high.length], 'float32');
    this.frames = new Float32Array(this.history * FRAME_SIZE);
  }

  /** The step index at which each phase of the scenario starts. */
  phaseStartSteps(): number[] {
    let t = 0;
    return this.scenario.phases.map((p) => {
      const start = Math.round((t * 1e9) / this.epochNs);
      t += p.durationS;
      return start;
    });
  }

  /** The phase an epoch belongs to: the one holding its midpoint (the last phase after the end). */
  private phaseAt(tS: number): number {
    return phaseAt(phaseEnds(this.scenario), tS);
  }

  /** Current I/O cores (0 = baseline). */
  get ioCores(): number {
    return this.requireHost('ioCores').ioCores;
  }

  /** Which actions are feasible now (1) or masked (0). */
  actionMask(): Int8Array {
    return this.maskOf(this.requireHost('actionMask()').ioCores);
  }

  /** A fresh action mask for `w` I/O cores. */
  private maskOf(w: number): Int8Array {
    const n = this.actionSpace.n, m = new Int8Array(n);
    for (let a = 0; a < n; a++) m[a] = this.feasible(a, w) ? 1 : 0;
    return m;
  }

  /** Whether action `a` (in the action space) is feasible at `w` I/O cores (no allocation). */
  private feasible(a: number, w: number): boolean {
    // within a dwell only holding is feasible
    if (this.dwellLeft > 0) return this.actionMode === 'delta' ? a === 0 : a === w;
    if (this.actionMode === 'delta') return a === 0 || (a === 1 ? w < this.maxIoCores : w > this.minIoCores);
    return a >= this.minIoCores && a <= this.maxIoCores;
  }

  /** The I/O-core count an action leads to from the current state (validated). */
  targetOf(action: number): number {
    if (!this.actionSpace.contains(action)) throw new Error(`SideCore: action ${JSON.stringify(action)} is not in ${this.actionSpace}`);
    const w = this.requireHost('step()').ioCores;
    if (!this.feasible(action, w)) {
      const what = this.actionMode === 'delta' ? `${action} (${DELTA_ACTIONS[action]})` : `${action} (target ${action} I/O cores)`;
      const why = this.dwellLeft > 0 ? `a change is masked for ${this.dwellLeft} more step(s) (minDwellEpochs ${this.minDwellEpochs})` : this.actionMode === 'delta' && action === 1 ? `already at maxIoCores ${this.maxIoCores}` : this.actionMode === 'delta' ? `already at ${w === 0 ? 'the baseline' : `minIoCores ${this.minIoCores}`}` : `outside [minIoCores ${this.minIoCores}, maxIoCores ${this.maxIoCores}]`;
      throw new Error(`SideCore: action ${what} is masked: ${why}`);
    }
    if (this.actionMode === 'absolute') return action;
    return action === 1 ? w + 1 : action === 2 ? w - 1 : w;
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.seedReset(args.seed);
    const hostSeed = this.npRandom.integers(0, 2 ** 31);
    const hostOpts = { seed: hostSeed, ioCores: this.initialIoCores, manager: this.manager };
    // a restartable host (the fast tier) is reset in place: building one costs ~0.5 ms
    if (this.host?.restart) this.host.restart(hostOpts);
    else this.host = createHost(this.fidelity, this.scenario, hostOpts, this.noise, this.costs);
    this.steps = 0;
    this.dwellLeft = 0;
    this.frames.fill(0);
    this.lastInfo = null;
    const host = this.host, mask = this.maskOf(host.ioCores);
    const info: Info = { ioCores: host.ioCores, maxIoCores: this.maxIoCores, actionMask: mask, epoch: this.steps, timeS: host.nowNs / 1e9 };
    return { obs: this.observe(mask), info };
  }

  override step(action: number): StepResult<Float32Array> {
    const host = this.requireHost('step()');
    if (this.steps === this.episodeSteps) {
      // as Gymnasium's CartPole after termination: say it once; the host runs its last phase on
      warn(`SideCore: step() called after the episode was truncated (the scenario ended after ${this.episodeSteps} steps); call reset(). Further steps run the last phase on.`);
    }
    const target = this.targetOf(action);
    const reconfigured = target !== host.ioCores;
    if (reconfigured) host.setIoCores(target);
    const midS = (host.nowNs + this.epochNs / 2) / 1e9;
    host.advance(this.epochNs);
    const { counters, metrics, reconfig } = host.readEpoch();
    const phase = this.phaseAt(midS);
    this.steps += 1;
    // Shift the history window and append this epoch's frame.
    if (this.history > 1) this.frames.copyWithin(0, FRAME_SIZE);
    writeFrame(counters, this.frames, (this.history - 1) * FRAME_SIZE);
    const reward = withSwitchPenalty(computeReward(this.rewardParams, this.scenario, this.ideal, phase, counters, metrics), reconfigured, this.switchPenalty);
    this.dwellLeft = reconfigured ? this.minDwellEpochs : Math.max(0, this.dwellLeft - 1);
    // The info's keys in the order they have always had (the initial keys, then the epoch's).
    const ioCores = host.ioCores, mask = this.maskOf(ioCores);
    const info: Info = {
      ioCores, maxIoCores: this.maxIoCores, actionMask: mask, epoch: this.steps, timeS: host.nowNs / 1e9,
      counters, metrics, phase, phaseName: this.scenario.phases[phase]?.name ?? `phase ${phase}`, reconfigured,
      // what reconfiguring cost in this epoch: changes, Σ device suspension (ns), the manager's CPU (ns)
      reconfig: reconfig ?? { reconfigurations: 0, stallNs: 0, managerCpuNs: 0 },
    };
    this.lastInfo = info;
    return { obs: this.observe(mask), reward, terminated: false, truncated: this.steps >= this.episodeSteps, info };
  }

  /** A fresh observation: the stacked frames, then the current action mask. */
  private observe(mask: Int8Array): Float32Array {
    const f = this.frames, n = f.length, out = new Float32Array(n + mask.length);
    out.set(f);
    for (let i = 0; i < mask.length; i++) out[n + i] = mask[i]!;
    return out;
  }

  private requireHost(what: string): HostModel {
    if (!this.host) throw new Error(`SideCore: call reset() before ${what}`);
    return this.host;
  }

  override render(): string | undefined {
    if (this.renderMode !== 'ansi') {
      // as Gymnasium's envs: rendering without a render mode does nothing, and says so
      warn('You are calling render method without specifying any render mode. You can specify the renderMode at initialization, e.g. make(\'SideCore-v1\', { renderMode: \'ansi\' })');
      return undefined;
    }
    if (!this.host) return '(not reset)';
    const info = this.lastInfo;
    return renderDashboard({
      scenario: this.scenario,
      ioCores: this.host.ioCores,
      epoch: this.steps,
      episodeSteps: this.episodeSteps,
      timeS: this.host.nowNs / 1e9,
      fidelity: this.fidelity,
      counters: (info?.counters as EpochCounters | undefined) ?? null,
      metrics: (info?.metrics as EpochMetrics | undefined) ?? null,
      phase: (info?.phase as number | undefined) ?? 0,
    });
  }

  override getState(): SideCoreState {
    const f = this.frames, frames = new Array<number>(f.length);
    for (let i = 0; i < f.length; i++) frames[i] = f[i]!;
    const s: SideCoreState = { host: this.requireHost('getState()').getState(), rng: this.npRandom.getState(), steps: this.steps, frames, lastInfo: this.lastInfo };
    // only with a dwell time: snapshots without one stay as they were (the oracle compares them byte for byte)
    if (this.minDwellEpochs > 0) s.dwellLeft = this.dwellLeft;
    return s;
  }

  override setState(state: unknown): void {
    const s = checkSnapshot(state, this.history);
    if (!this.host) this.host = createHost(this.fidelity, this.scenario, { seed: 0, ioCores: this.initialIoCores, manager: this.manager }, this.noise, this.costs);
    this.host.setState(s.host);
    this.npRandom = Rng.fromState(s.rng);
    this.steps = s.steps;
    if (s.frames.length === this.frames.length) this.frames.set(s.frames);
    else this.frames = Float32Array.from(s.frames);
    this.lastInfo = s.lastInfo;
    this.dwellLeft = s.dwellLeft ?? 0;
  }
}
